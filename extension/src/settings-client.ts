import { workerResponseSchemas } from './messaging.ts';
import type { Settings } from './settings.ts';

/**
 * The extension pages' way to the settings (options, welcome): through the worker, which keeps
 * them out of the content scripts' reach and answers only its own pages (RequestSender).
 */
export function createSettingsClient(runtime: { sendMessage(message: unknown): Promise<unknown> }) {
  const ask = async (message: unknown, type: 'settings:read' | 'settings:write'): Promise<Settings> => {
    const answer = workerResponseSchemas[type].parse(await runtime.sendMessage(message));
    if (!answer.ok) throw new Error(answer.error.message);
    return answer.data;
  };
  return {
    load: () => ask({ type: 'settings:read' }, 'settings:read'),
    save: (changes: Partial<Settings>) => ask({ type: 'settings:write', changes }, 'settings:write'),
  };
}
