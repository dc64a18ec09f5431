import { type PublishedRecipe, type Recipe, recipeSchema } from '../contract/index.ts';

/**
 * Published "Teach this page" recipes, one history per domain. Old versions are kept; a withdrawn
 * domain serves nothing until a newer version is published.
 */
export interface RecipeStore {
  readonly backend: string;
  /** Stores a new version; throws RecipeVersionConflict unless it is above every stored version. */
  publish(recipe: Recipe, publishedAt: string): Promise<PublishedRecipe>;
  /** The newest version that is not withdrawn. */
  latest(domain: string): Promise<PublishedRecipe | undefined>;
  /** The latest recipe of every domain (or of one), domains in order. */
  list(filter?: { domain?: string }): Promise<PublishedRecipe[]>;
  /** Every stored version of a domain, newest first, withdrawn ones included. */
  versions(domain: string): Promise<PublishedRecipe[]>;
  /** Withdraws every served version of a domain; returns how many. */
  withdraw(domain: string, at: string): Promise<number>;
  close(): Promise<void>;
}

export class RecipeVersionConflict extends Error {
  readonly code = 'version-conflict';
  readonly domain: string;
  readonly offered: number;
  readonly stored: number;
  constructor(domain: string, offered: number, stored: number) {
    super(
      `Recipe for ${domain}: version ${offered} is not newer than the stored version ${stored}; publish version ${stored + 1} or higher.`,
    );
    this.name = 'RecipeVersionConflict';
    this.domain = domain;
    this.offered = offered;
    this.stored = stored;
  }
}

/** A stored row as served: parsed again, so a row edited by hand never reaches a browser unchecked. */
export function toPublished(row: Record<string, unknown>): PublishedRecipe {
  return {
    recipe: recipeSchema.parse(JSON.parse(String(row.recipe_json))),
    publishedAt: String(row.published_at),
    withdrawn: row.withdrawn_at !== null && row.withdrawn_at !== undefined,
  };
}

/**
 * The recipe stores' SQL, the same for SQLite and PostgreSQL; parameters are numbered ($1…) and
 * appear in order, so SQLite binds them as positional `?`.
 */
export const RECIPE_QUERIES = {
  highest: 'SELECT MAX(version) AS version FROM page_recipes WHERE tenant = $1 AND domain = $2',
  insert:
    'INSERT INTO page_recipes (tenant, domain, version, recipe_json, published_at) VALUES ($1, $2, $3, $4, $5)',
  latest: `SELECT * FROM page_recipes WHERE tenant = $1 AND domain = $2 AND withdrawn_at IS NULL
    ORDER BY version DESC LIMIT 1`,
  latestAll: `SELECT r.* FROM page_recipes r
    WHERE r.tenant = $1 AND r.withdrawn_at IS NULL AND r.version = (
      SELECT MAX(v.version) FROM page_recipes v
      WHERE v.tenant = r.tenant AND v.domain = r.domain AND v.withdrawn_at IS NULL)
    ORDER BY r.domain`,
  versions: 'SELECT * FROM page_recipes WHERE tenant = $1 AND domain = $2 ORDER BY version DESC',
  withdraw:
    'UPDATE page_recipes SET withdrawn_at = $1 WHERE tenant = $2 AND domain = $3 AND withdrawn_at IS NULL',
} as const;
