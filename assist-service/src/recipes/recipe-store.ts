import type { PublishedRecipe, Recipe } from '../contract/index.ts';

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
