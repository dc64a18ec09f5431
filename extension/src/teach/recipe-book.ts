import { type Recipe, recipeSchema } from '@naparnik/assist-service/contract';
import { z } from 'zod';
import { CLIENT_ERROR_CODES, failure, type Result, type WorkerRequest } from '../messaging.ts';
import type { StorageArea } from '../settings.ts';

/** What the service said about a domain's published recipe. */
export type PublishedAnswer =
  | { status: 'fresh'; recipe: Recipe; etag?: string }
  | { status: 'not-modified' }
  | { status: 'none' };

export interface RecipeChoice {
  /** The recipe the content script should read the page with, if any. */
  recipe: Recipe | null;
  source: 'local' | 'published' | null;
  local: Recipe | null;
  published: Recipe | null;
}

export interface RecipeBookDependencies {
  storage: StorageArea;
  /** `GET /v1/recipes/:domain` with If-None-Match; throws when the service cannot be reached. */
  fetchPublished(domain: string, etag: string | undefined): Promise<PublishedAnswer>;
  now(): number;
  /** How old a cached published recipe may get before `get` asks the service again. */
  refreshMs?: number;
}

export const LOCAL_KEY = 'recipes:local';
export const PUBLISHED_KEY = 'recipes:published';
const DEFAULT_REFRESH_MS = 10 * 60_000;

const cachedSchema = z.object({
  recipe: recipeSchema.nullable(),
  etag: z.string().optional(),
  checkedAt: z.number(),
});
type Cached = z.infer<typeof cachedSchema>;

/** Entries that fail their schema (an older extension's, a hand edit) are dropped, not fatal. */
function readRecord<T>(value: unknown, schema: z.ZodType<T>): Record<string, T> {
  const record: Record<string, T> = {};
  if (typeof value !== 'object' || value === null) return record;
  for (const [key, entry] of Object.entries(value)) {
    const parsed = schema.safeParse(entry);
    if (parsed.success) record[key] = parsed.data;
  }
  return record;
}

/**
 * Which recipe wins: the newest version; on a tie the operator's own. Teaching a page over a
 * published recipe saves version published+1, so the operator's fix applies at once and the
 * admin's next publication (a higher version) replaces it for everyone.
 */
export function chooseRecipe(local: Recipe | null, published: Recipe | null): RecipeChoice {
  if (local && (!published || local.version >= published.version)) {
    return { recipe: local, source: 'local', local, published };
  }
  if (published) return { recipe: published, source: 'published', local, published };
  return { recipe: null, source: null, local, published };
}

/** The version a newly taught recipe gets: above everything this domain has. */
export function nextVersion(choice: Pick<RecipeChoice, 'local' | 'published'>): number {
  return Math.max(choice.local?.version ?? 0, choice.published?.version ?? 0) + 1;
}

/**
 * The worker's recipes: the operator's own in `storage.local` (keyed by domain), and the service's
 * published ones cached there with their ETag, asked again when older than `refreshMs` or when
 * the caller insists. Without the service the cache answers.
 */
export function createRecipeBook(dependencies: RecipeBookDependencies) {
  const { storage } = dependencies;
  const refreshMs = dependencies.refreshMs ?? DEFAULT_REFRESH_MS;
  /** Refreshes running in the background, one per domain. */
  const pending = new Map<string, Promise<Recipe | null>>();

  const readLocal = async () => readRecord((await storage.get(LOCAL_KEY))[LOCAL_KEY], recipeSchema);
  const readPublished = async () =>
    readRecord((await storage.get(PUBLISHED_KEY))[PUBLISHED_KEY], cachedSchema);

  async function refresh(domain: string, force: boolean): Promise<Recipe | null> {
    const cache = await readPublished();
    const known: Cached | undefined = cache[domain];
    if (known && !force) {
      // A stale answer is still served at once (the page is waiting); the service is asked
      // meanwhile and the next page load gets its answer.
      if (dependencies.now() - known.checkedAt >= refreshMs && !pending.has(domain)) {
        const asking = ask(domain, known).finally(() => pending.delete(domain));
        pending.set(domain, asking);
      }
      return known.recipe;
    }
    return ask(domain, known);
  }

  async function ask(domain: string, known: Cached | undefined): Promise<Recipe | null> {
    try {
      return await askService(domain, known);
    } catch {
      return known?.recipe ?? null;
    }
  }

  /** Asks the service and caches its answer; throws when the service could not be asked. */
  async function askService(domain: string, known: Cached | undefined): Promise<Recipe | null> {
    const answer: PublishedAnswer = await dependencies.fetchPublished(
      domain,
      known?.recipe ? known.etag : undefined,
    );
    const checkedAt = dependencies.now();
    const next: Cached =
      answer.status === 'fresh'
        ? { recipe: answer.recipe, ...(answer.etag ? { etag: answer.etag } : {}), checkedAt }
        : answer.status === 'not-modified' && known
          ? { ...known, checkedAt }
          : { recipe: null, checkedAt };
    // Read again: another domain's refresh may have finished meanwhile.
    await storage.set({ [PUBLISHED_KEY]: { ...(await readPublished()), [domain]: next } });
    return next.recipe;
  }

  return {
    async get(domain: string, options: { refresh?: boolean } = {}): Promise<RecipeChoice> {
      const published = await refresh(domain, options.refresh ?? false);
      return chooseRecipe((await readLocal())[domain] ?? null, published);
    },
    async saveLocal(recipe: Recipe): Promise<RecipeChoice> {
      const parsed = recipeSchema.parse(recipe);
      await storage.set({ [LOCAL_KEY]: { ...(await readLocal()), [parsed.domain]: parsed } });
      return chooseRecipe(parsed, (await readPublished())[parsed.domain]?.recipe ?? null);
    },
    async deleteLocal(domain: string): Promise<void> {
      const { [domain]: _removed, ...rest } = await readLocal();
      await storage.set({ [LOCAL_KEY]: rest });
    },
    async listLocal(): Promise<Recipe[]> {
      return Object.values(await readLocal()).sort((left, right) => left.domain.localeCompare(right.domain));
    },
    /** Resolves when the background refreshes started so far have finished. */
    async idle(): Promise<void> {
      await Promise.all(pending.values());
    },
    /**
     * Asks the service about every domain (the enabled sites): when the browser starts and on the
     * refresh timer (src/background/recipe-refresh.ts). True when the service answered for each.
     */
    async refreshAll(domains: readonly string[]): Promise<boolean> {
      // One at a time (they share one stored cache); one domain's failure does not keep the
      // others stale.
      let answered = true;
      for (const domain of domains) {
        await askService(domain, (await readPublished())[domain]).catch(() => {
          answered = false;
        });
      }
      return answered;
    },
  };
}

export type RecipeBook = ReturnType<typeof createRecipeBook>;

type RecipeRequest = Extract<WorkerRequest, { type: `recipes:${string}` }>;

/** The worker's answer to a `recipes:*` message. */
export async function answerRecipeRequest(
  book: RecipeBook | undefined,
  request: RecipeRequest,
): Promise<Result<unknown>> {
  if (!book) return failure(CLIENT_ERROR_CODES.notConfigured, 'This worker keeps no recipes.');
  switch (request.type) {
    case 'recipes:get':
      return { ok: true, data: await book.get(request.domain, { refresh: request.refresh ?? false }) };
    case 'recipes:save-local':
      return { ok: true, data: await book.saveLocal(request.recipe) };
    case 'recipes:delete-local':
      await book.deleteLocal(request.domain);
      return { ok: true, data: null };
    case 'recipes:list-local':
      return { ok: true, data: { recipes: await book.listLocal() } };
  }
}
