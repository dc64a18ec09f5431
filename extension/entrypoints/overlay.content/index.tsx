import { defineContentScript } from 'wxt/utils/define-content-script';
import { startOverlay } from '../../src/content/overlay.tsx';

export default defineContentScript({
  // Local pages (the demo desk, tests) out of the box; other helpdesks are registered at run time
  // for the origins the operator or admin enabled (src/background/site-access.ts).
  matches: ['http://127.0.0.1/*', 'http://localhost/*'],
  runAt: 'document_idle',
  main(ctx) {
    return startOverlay(ctx);
  },
});
