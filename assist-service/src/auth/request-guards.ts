import type { NextFunction, Request, Response } from 'express';
import type { TrustConfig } from '../config.ts';
import { ServiceError } from '../errors.ts';

/** The host name of a Host header, port dropped, lower-cased: `[::1]:8787` → `[::1]`. */
export function hostName(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const value = header.trim().toLowerCase();
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    return end > 0 ? value.slice(0, end + 1) : undefined;
  }
  return value.split(':')[0] || undefined;
}

/**
 * DNS rebinding: a page on evil.example whose name starts resolving to 127.0.0.1 reaches this
 * service with `Host: evil.example`. Only the names the service is known by are answered.
 */
export function hostAllowList(trust: Pick<TrustConfig, 'allowedHosts'>) {
  const allowed = new Set(trust.allowedHosts);
  return (request: Request, _response: Response, next: NextFunction) => {
    const name = hostName(request.get('host'));
    if (name && allowed.has(name)) {
      next();
      return;
    }
    next(
      new ServiceError(
        'host-not-allowed',
        `The service does not answer to the host name "${name ?? ''}": add it to NAPARNIK_ALLOWED_HOSTS if it is this service's name.`,
      ),
    );
  };
}

/** application/json and anything+json: the only bodies a write may carry. */
export function isJsonContentType(header: string | undefined): boolean {
  if (!header) return false;
  const type = header.split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || /^application\/[\w.+-]+\+json$/.test(type);
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function hasBody(request: Request): boolean {
  return Number(request.get('content-length') ?? 0) > 0 || request.get('transfer-encoding') !== undefined;
}

/**
 * A web page can POST text/plain or a form to any address without a preflight ("simple"
 * requests); a JSON content type forces a preflight that CORS then refuses. So a write's body
 * must say it is JSON, and nothing else is parsed as JSON.
 */
export function jsonOnlyWrites(request: Request, _response: Response, next: NextFunction): void {
  if (
    WRITES.has(request.method) &&
    hasBody(request) &&
    !isJsonContentType(request.get('content-type')) &&
    !isFileUpload(request)
  ) {
    next(
      new ServiceError(
        'unsupported-media-type',
        'Send the body as application/json (Content-Type: application/json).',
      ),
    );
    return;
  }
  next();
}

const FILE_UPLOAD_PATH = /^\/v1\/collections\/[^/]+\/files$/u;

/**
 * The console's upload sends a file's bytes as application/octet-stream, which its route alone
 * checks (and names in its error): not a type a page can send without a CORS preflight, so it
 * opens no cross-site write, and the route refuses every other type before reading a byte.
 */
function isFileUpload(request: Request): boolean {
  return request.method === 'PUT' && FILE_UPLOAD_PATH.test(request.path);
}

const EXTENSION_SCHEMES = ['chrome-extension', 'moz-extension', 'safari-web-extension'];

/**
 * CORS for the configured extension ids' pages and the console's own origin, nobody else. The
 * extension's background worker needs no CORS (host permissions); its pages do. A Private
 * Network Access preflight (a public page reaching a private address) is answered for the same
 * origins only.
 */
export function corsPolicy(trust: Pick<TrustConfig, 'extensionIds'>) {
  const extensionOrigins = new Set(
    trust.extensionIds.flatMap((id) => EXTENSION_SCHEMES.map((scheme) => `${scheme}://${id}`)),
  );
  return (request: Request, response: Response, next: NextFunction) => {
    response.append('Vary', 'Origin');
    const origin = request.get('origin');
    if (!origin) {
      next();
      return;
    }
    const own = `${request.protocol}://${request.get('host') ?? ''}`.toLowerCase();
    const allowed = extensionOrigins.has(origin) || origin.toLowerCase() === own;
    const preflight =
      request.method === 'OPTIONS' && request.get('access-control-request-method') !== undefined;
    if (!allowed) {
      if (preflight) {
        next(
          new ServiceError(
            'forbidden',
            `Origin ${origin} may not call this service: list the extension's id in NAPARNIK_EXTENSION_IDS.`,
          ),
        );
        return;
      }
      next();
      return;
    }
    response.setHeader('Access-Control-Allow-Origin', origin);
    response.setHeader('Access-Control-Allow-Credentials', 'true');
    response.setHeader('Access-Control-Expose-Headers', 'X-Request-Id, Retry-After');
    if (!preflight) {
      next();
      return;
    }
    response.setHeader(
      'Access-Control-Allow-Headers',
      'Authorization, Content-Type, Accept, X-Request-Id, X-CSRF-Token',
    );
    response.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, DELETE, OPTIONS');
    response.setHeader('Access-Control-Max-Age', '600');
    if (request.get('access-control-request-private-network') === 'true') {
      response.setHeader('Access-Control-Allow-Private-Network', 'true');
    }
    response.status(204).end();
  };
}
