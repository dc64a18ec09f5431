import type { Recipe } from '@naparnik/assist-service/contract';
import {
  CLIENT_ERROR_CODES,
  failure,
  type Result,
  type WorkerRequest,
  workerResponseSchemas,
} from '../messaging.ts';
import type { RecipeChoice } from './recipe-book.ts';

/** What the content script and the options page send to the worker about recipes. */
export interface RecipeClient {
  get(domain: string, refresh?: boolean): Promise<Result<RecipeChoice>>;
  saveLocal(recipe: Recipe): Promise<Result<RecipeChoice>>;
  deleteLocal(domain: string): Promise<Result<null>>;
  listLocal(): Promise<Result<{ recipes: Recipe[] }>>;
}

type RecipeType = Extract<WorkerRequest['type'], `recipes:${string}`>;

/** `recipes:*` messages over `runtime.sendMessage`, answers checked against their schemas. */
export function createRecipeClient(runtime: {
  sendMessage(message: unknown): Promise<unknown>;
}): RecipeClient {
  async function send<T>(message: Extract<WorkerRequest, { type: RecipeType }>): Promise<Result<T>> {
    let raw: unknown;
    try {
      raw = await runtime.sendMessage(message);
    } catch (error) {
      return failure(CLIENT_ERROR_CODES.unreachable, `Extension worker unavailable: ${String(error)}`);
    }
    const parsed = workerResponseSchemas[message.type].safeParse(raw);
    return parsed.success
      ? (parsed.data as Result<T>)
      : failure(CLIENT_ERROR_CODES.badResponse, 'The extension worker sent an unexpected answer.');
  }
  return {
    get: (domain, refresh) => send({ type: 'recipes:get', domain, ...(refresh ? { refresh } : {}) }),
    saveLocal: (recipe) => send({ type: 'recipes:save-local', recipe }),
    deleteLocal: (domain) => send({ type: 'recipes:delete-local', domain }),
    listLocal: () => send({ type: 'recipes:list-local' }),
  };
}
