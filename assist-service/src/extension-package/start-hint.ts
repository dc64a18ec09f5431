import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ServiceConfig } from '../config.ts';

/**
 * What `pnpm start` prints once the service listens: the one step left to a working copilot (load
 * the built extension) and the page to open. Russian first, like everything an operator reads.
 */
export function extensionStartHint(
  config: Pick<ServiceConfig, 'extensionDir' | 'demoDesk'>,
  serviceUrl: string,
): string {
  const built = existsSync(path.join(config.extensionDir, 'manifest.json'));
  const lines = built
    ? [
        'Расширение: chrome://extensions → «Режим разработчика» → «Загрузить распакованное» → папка',
        `  ${config.extensionDir}`,
        `  (или архив и пакет для всей команды: ${serviceUrl}/extension/)`,
      ]
    : [`Расширение не собрано (${config.extensionDir}): cd extension && npx -y pnpm@10.34.8 run build`];
  if (config.demoDesk) lines.push(`Затем откройте демо-хелпдеск: ${serviceUrl}/demo-desk/`);
  return `${lines.join('\n')}\n`;
}
