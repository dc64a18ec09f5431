import type { Conversation } from '@naparnik/assist-service/contract';

/** Where an adapter reads from: the page's document, or a subtree of it in tests and iframes. */
export type PageRoot = Document | Element;

/**
 * A helpdesk adapter. Pure: it only reads the DOM it is given. Watching the page, cleanup and
 * rendering belong to the content script.
 */
export interface SiteAdapter {
  /** Stable id, also the fixtures folder name and `conversation.source.adapter`. */
  id: string;
  /** Whether this adapter is meant for the page at `url` (cheap, no DOM access). */
  matches(url: URL): boolean;
  /** The conversation shown on the page, or undefined when this page shows none (yet). */
  extract(root: PageRoot, url?: URL): Conversation | undefined;
  /** The reply box the operator types into, or undefined when the page shows none. */
  composer(root: PageRoot): Element | undefined;
}
