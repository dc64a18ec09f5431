import { defineContentScript } from 'wxt/utils/define-content-script';
import { startOverlay } from '../../src/content/overlay.tsx';

export default defineContentScript({
  // Registered at run time only, for the origins the operator or admin enabled (local ones port by
  // port, the service's own demo desk included) and nowhere else: src/background/site-access.ts.
  // The matches here only become host permissions (no prompt for local pages).
  registration: 'runtime',
  matches: ['http://127.0.0.1/*', 'http://localhost/*'],
  runAt: 'document_idle',
  main(ctx) {
    return startOverlay(ctx);
  },
});
