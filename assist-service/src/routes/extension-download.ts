import type { KeyObject } from 'node:crypto';
import path from 'node:path';
import { type Request, type Response, Router } from 'express';
import type { ServiceConfig } from '../config.ts';
import { ServiceError } from '../errors.ts';
import {
  buildFingerprint,
  CRX_NAME,
  type ExtensionPackage,
  packageExtension,
  UPDATE_MANIFEST_NAME,
  ZIP_NAME,
} from '../extension-package/extension-package.ts';
import { loadOrCreateSigningKey, SigningKeyError } from '../extension-package/signing-key.ts';

/** extensionDir, extensionKeyFile (default beside the data) and extensionPublicUrl: see config.ts. */
export type ExtensionDownloadConfig = Pick<
  ServiceConfig,
  'dataDir' | 'extensionDir' | 'extensionKeyFile' | 'extensionPublicUrl'
>;

const BUILD_HINT =
  'Соберите его: `npx -y pnpm@10.34.8 start` собирает расширение сам, или `cd extension && pnpm build`.';

function escapeHtml(text: string): string {
  return text.replace(/[<>&'"]/g, (character) => `&#${character.charCodeAt(0)};`);
}

/**
 * The built extension for a team at /extension/: a Russian page with the extension id, a ZIP for
 * "Load unpacked", and a signed CRX3 with its update manifest for the browser's force-install
 * policy (docs/deploy-extension.md). Nothing here is secret (the token is set by policy, not
 * packaged), and browsers fetch update.xml and the CRX without credentials.
 */
export function extensionDownloadRoutes(config: ExtensionDownloadConfig): Router {
  const options = {
    directory: config.extensionDir,
    keyFile: config.extensionKeyFile ?? path.join(config.dataDir, 'extension-signing-key.pem'),
    publicUrl: config.extensionPublicUrl,
  };
  const router = Router();
  let key: KeyObject | undefined;
  let cached: { fingerprint: string; base: string; built: ExtensionPackage } | undefined;

  const signingKey = (): KeyObject => {
    try {
      key ??= loadOrCreateSigningKey(options.keyFile);
      return key;
    } catch (error) {
      if (error instanceof SigningKeyError) throw new ServiceError('not-ready', error.message);
      throw new ServiceError(
        'not-ready',
        `Ключ подписи ${options.keyFile} недоступен: ${(error as Error).message}`,
      );
    }
  };
  const baseOf = (request: Request) =>
    `${options.publicUrl ?? `${request.protocol}://${request.get('host')}`}`;
  /** The package for this build and address; undefined when the extension is not built. */
  const current = (request: Request): ExtensionPackage | undefined => {
    const fingerprint = buildFingerprint(options.directory);
    if (!fingerprint) return undefined;
    const base = baseOf(request);
    if (cached?.fingerprint === fingerprint && cached.base === base) return cached.built;
    const built = packageExtension({
      directory: options.directory,
      key: signingKey(),
      updateUrl: `${base}/extension/${UPDATE_MANIFEST_NAME}`,
      crxUrl: `${base}/extension/${CRX_NAME}`,
    });
    cached = { fingerprint, base, built };
    return built;
  };
  const required = (request: Request): ExtensionPackage => {
    const built = current(request);
    if (!built)
      throw new ServiceError('not-ready', `Расширение не собрано (${options.directory}). ${BUILD_HINT}`);
    return built;
  };
  const send = (response: Response, type: string, body: Buffer | string, filename?: string) => {
    response.setHeader('Content-Type', type);
    response.setHeader('Cache-Control', 'no-cache');
    response.setHeader('X-Content-Type-Options', 'nosniff');
    if (filename) response.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
    response.send(body);
  };

  router.get('/extension', (request, response, next) => {
    if (request.originalUrl.split('?')[0] === '/extension') response.redirect(301, '/extension/');
    else next();
  });
  router.get('/extension/', (request, response) => {
    const built = current(request);
    response.status(built ? 200 : 503);
    send(response, 'text/html; charset=utf-8', downloadPage(built, baseOf(request), options.directory));
  });
  router.get(`/extension/${ZIP_NAME}`, (request, response) => {
    send(response, 'application/zip', required(request).zip, ZIP_NAME);
  });
  router.get(`/extension/${CRX_NAME}`, (request, response) => {
    send(response, 'application/x-chrome-extension', required(request).crx, CRX_NAME);
  });
  router.get(`/extension/${UPDATE_MANIFEST_NAME}`, (request, response) => {
    send(response, 'application/xml; charset=utf-8', required(request).updateManifest);
  });
  return router;
}

function downloadPage(built: ExtensionPackage | undefined, base: string, directory: string): string {
  const head = `<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Напарник — расширение для браузера</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:760px;margin:2em auto;padding:0 1em;color:#1f2328}
code,pre{background:#f3f4f6;border-radius:4px;padding:.1em .3em}pre{padding:.8em;overflow:auto}
a.button{display:inline-block;background:#1f6feb;color:#fff;padding:.5em 1em;border-radius:6px;text-decoration:none;margin:.2em 0}</style>
</head><body>
<h1>Напарник — расширение для браузера</h1>`;
  if (!built) {
    return `${head}
<p role="alert">Расширение ещё не собрано: в <code>${escapeHtml(directory)}</code> нет <code>manifest.json</code>.
${escapeHtml(BUILD_HINT)}</p></body></html>\n`;
  }
  const updateUrl = `${base}/extension/${UPDATE_MANIFEST_NAME}`;
  const managed = JSON.stringify({ serviceUrl: base, token: '<токен оператора>' }, null, 2);
  return `${head}
<p>Версия <strong data-field="version">${escapeHtml(built.version)}</strong>,
идентификатор расширения <code data-field="extension-id">${escapeHtml(built.id)}</code>
(его же указывают в политике браузера и в списке разрешённых расширений сервиса).</p>

<h2>Установить у себя</h2>
<p><a class="button" href="${ZIP_NAME}" download>Скачать архив для «Загрузить распакованное»</a></p>
<ol>
<li>Распакуйте архив в постоянную папку (браузер читает расширение оттуда, не удаляйте её).</li>
<li>Откройте <code>chrome://extensions</code> (в Яндекс Браузере — <code>browser://extensions</code>), включите «Режим разработчика».</li>
<li>Нажмите «Загрузить распакованное» и выберите эту папку (в ней лежит <code>manifest.json</code>).</li>
<li>Откроется страница первого запуска: укажите адрес сервиса <code>${escapeHtml(base)}</code> и свой токен.</li>
</ol>

<h2>Установить всей команде (администратору)</h2>
<p>Подписанный пакет <a href="${CRX_NAME}">${CRX_NAME}</a> и манифест обновлений
<a href="${UPDATE_MANIFEST_NAME}">${UPDATE_MANIFEST_NAME}</a> для политики
<code>ExtensionInstallForcelist</code>. Значение для политики:</p>
<pre data-field="forcelist">${escapeHtml(`${built.id};${updateUrl}`)}</pre>
<p>Адрес сервиса и токен задаются политикой «3rdparty» для этого расширения (управляемое хранилище):</p>
<pre>${escapeHtml(managed)}</pre>
<p>Пути политик для Chrome (Windows, Linux, macOS), Яндекс Браузера и Firefox — в
<code>docs/deploy-extension.md</code> в репозитории.</p>
</body></html>\n`;
}
