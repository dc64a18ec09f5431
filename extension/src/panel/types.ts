import type {
  AssistEvent,
  AssistRequest,
  CheckDraftRequest,
  CheckDraftResponse,
  FeedbackEvent,
  FeedbackResponse,
  RewriteRequest,
  RewriteResponse,
  SearchResponse,
} from '@naparnik/assist-service/contract';
import type { DraftMark, InsertOutcome, PageReading, Result, ServiceStatus } from '../messaging.ts';

/** How the panel reaches the service; in the extension every call goes through the background worker. */
export interface PanelClient {
  status(): Promise<Result<ServiceStatus>>;
  assist(
    request: Omit<AssistRequest, 'collection'>,
    onEvent: (event: AssistEvent) => void,
    signal: AbortSignal,
  ): Promise<Result<null>>;
  search(query: string): Promise<Result<SearchResponse>>;
  feedback(event: FeedbackEvent): Promise<Result<FeedbackResponse>>;
  /** Rewrites a suggestion in a style the service offers (`ServiceStatus.rewrite`). */
  rewrite?(request: Omit<RewriteRequest, 'collection'>): Promise<Result<RewriteResponse>>;
  /** Checks the operator's own draft against the team's script. */
  checkDraft?(request: Omit<CheckDraftRequest, 'collection'>): Promise<Result<CheckDraftResponse>>;
}

/** How the panel reaches the helpdesk page: the overlay calls the adapter directly, the side panel messages the tab. */
export interface PageBridge {
  read(): Promise<PageReading>;
  insert(text: string): Promise<InsertOutcome>;
  /** Called when the conversation on the page changed (new message, another ticket). */
  subscribe(listener: () => void): () => void;
  /** Opens the options page (not configured state). */
  openOptions?(): void;
  /** Starts "Teach this page" (conversation not found state). */
  teach?(): void;
  /** The operator's draft in the page's reply box; null when the page has no reply box. */
  draft?(): Promise<string | null>;
  /** Called when the operator edits the draft (input events on the reply box); returns the unsubscribe. */
  watchDraft?(listener: () => void): () => void;
  /** Underlines stretches of the draft in the page's own reply box; an empty list clears them. */
  markDraft?(marks: readonly DraftMark[]): Promise<void>;
}
