import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';
import { ServiceError } from '../errors.ts';

/**
 * The web console (assist-service/console, built by Vite) as static files at /console: no data
 * in them, so no token either; the APIs they call take the console's session. Pages route by the URL's hash, so the service needs no fallback to index.html.
 */
export function consoleRoutes(options: { directory: string }): Router {
  const router = Router();
  router.use((_request, _response, next) => {
    if (existsSync(path.join(options.directory, 'index.html'))) {
      next();
      return;
    }
    next(
      new ServiceError(
        'not-ready',
        'The console is not built: run `pnpm --filter @naparnik/console build` (pnpm start does it when missing).',
      ),
    );
  });
  router.use(
    express.static(options.directory, {
      index: 'index.html',
      setHeaders(response, file) {
        // Vite names assets by content hash: they never change; the page itself always may.
        response.setHeader(
          'Cache-Control',
          file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    }),
  );
  return router;
}
