import type { Conversation } from '@naparnik/assist-service/contract';
import type { ExtractOptions, PageRoot, SiteAdapter } from './adapter.ts';
import { chatwootAdapter } from './chatwoot.ts';
import { demoDeskAdapter } from './demo-desk.ts';
import { freescoutAdapter } from './freescout.ts';
import { genericAdapter } from './generic.ts';
import { zammadAdapter } from './zammad.ts';

export type { ExtractOptions, PageRoot, SiteAdapter } from './adapter.ts';

/** Every site adapter, most specific first; the generic adapter is the fallback, always last. */
export const SITE_ADAPTERS: readonly SiteAdapter[] = [
  demoDeskAdapter,
  chatwootAdapter,
  zammadAdapter,
  freescoutAdapter,
];
export const ADAPTERS: readonly SiteAdapter[] = [...SITE_ADAPTERS, genericAdapter];

export interface Reading {
  adapter: SiteAdapter;
  conversation: Conversation | undefined;
}

/**
 * Reads the page with the first site adapter that matches the URL and finds a conversation;
 * otherwise with the generic adapter.
 */
export function readPage(
  root: PageRoot,
  url: URL,
  adapters: readonly SiteAdapter[] = ADAPTERS,
  options: Pick<ExtractOptions, 'lastMessages'> = {},
): Reading {
  let fallback: SiteAdapter | undefined;
  for (const adapter of adapters) {
    if (!adapter.matches(url)) continue;
    const conversation = adapter.extract(root, url, options);
    if (conversation && conversation.messages.length > 0) return { adapter, conversation };
    fallback ??= adapter;
  }
  return { adapter: fallback ?? genericAdapter, conversation: undefined };
}

export function adapterById(id: string): SiteAdapter | undefined {
  return ADAPTERS.find((adapter) => adapter.id === id);
}
