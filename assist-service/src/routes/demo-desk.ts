import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';
import { REPO_ROOT } from '../config.ts';

/** The demo helpdesk page that ships with the extension (its own folder in the repository). */
export const DEMO_DESK_DIR = path.join(REPO_ROOT, 'extension', 'demo-desk');

/**
 * Serves the demo helpdesk page at /demo-desk/ so that a new user can try the extension against
 * the running service in a minute: the page lives on 127.0.0.1, which the extension is enabled on
 * out of the box. Static files only; no route of the API depends on it.
 */
export function demoDeskRoutes(directory: string = DEMO_DESK_DIR): Router {
  const router = Router();
  if (!existsSync(path.join(directory, 'index.html'))) return router;
  // Express matches '/demo-desk' and '/demo-desk/' alike; only the bare path is redirected.
  router.get('/demo-desk', (request, response, next) => {
    if (request.originalUrl.split('?')[0] === '/demo-desk') response.redirect(301, '/demo-desk/');
    else next();
  });
  router.use(
    '/demo-desk/',
    express.static(directory, {
      index: 'index.html',
      redirect: false,
      fallthrough: true,
      setHeaders(response) {
        response.setHeader('Cache-Control', 'no-cache');
        response.setHeader('X-Content-Type-Options', 'nosniff');
      },
    }),
  );
  return router;
}
