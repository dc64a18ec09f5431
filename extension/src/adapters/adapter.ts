import type { Conversation } from '@naparnik/assist-service/contract';

/** Where an adapter reads from: the page's document, or a subtree of it in tests and iframes. */
export type PageRoot = Document | Element;

/** How much of the page a reading covers; without options an adapter reads everything. */
export interface ExtractOptions {
  /**
   * Read only the newest this many messages. A long history costs a read per new message, and
   * the service only looks at a conversation's end (it cuts the oldest turns to its budget).
   */
  lastMessages?: number;
  /** The element `messageList(root)` returned earlier: a re-read skips searching for it. */
  list?: Element;
  /**
   * What earlier readings made of each message element. The adapter reuses an element's entry and
   * adds the ones it reads; whoever passes it drops an element's entry when that element changes.
   */
  memo?: ReadingMemo;
}

/** Per-element results of earlier readings (values are never modified once stored). */
export type ReadingMemo = WeakMap<Element, unknown>;

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
  extract(root: PageRoot, url?: URL, options?: ExtractOptions): Conversation | undefined;
  /** The reply box the operator types into, or undefined when the page shows none. */
  composer(root: PageRoot): Element | undefined;
  /**
   * The element holding the messages, or undefined when the page shows none: the content script
   * watches only this subtree for new messages.
   */
  messageList?(root: PageRoot): Element | undefined;
}
