import type {
  AssistEvent,
  AssistRequest,
  FeedbackEvent,
  FeedbackResponse,
  SearchResponse,
} from '@naparnik/assist-service/contract';
import type { InsertOutcome, PageReading, Result, ServiceStatus } from '../messaging.ts';

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
}
