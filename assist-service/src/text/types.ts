/**
 * The shapes shared by the conversation-understanding functions in `text/` and `rules/` and the
 * offline engine that calls them. Pure data: no I/O anywhere in these modules.
 */

export type MessageRole = 'customer' | 'operator' | 'bot' | 'note' | 'system';

export interface ConversationMessage {
  role: MessageRole;
  text: string;
  at?: string;
  author?: string;
}

export type Channel =
  | 'chat'
  | 'email'
  | 'messenger'
  | 'social'
  | 'marketplace'
  | 'review'
  | 'phone_transcript'
  | 'other';

/** A value found in text, with where it was found (UTF-16 offsets into the searched text). */
export interface Found<T = string> {
  value: T;
  raw: string;
  start: number;
  end: number;
}

export interface Entities {
  orderIds: Found[];
  contractIds: Found[];
  trackingNumbers: Found[];
  /** ISO dates (YYYY-MM-DD) where the day is known; relative dates resolved against `now`. */
  dates: Found[];
  /** Amounts in the smallest sensible unit as a number plus currency, e.g. { value: '1500 RUB' }. */
  amounts: Found[];
  phones: Found[];
  emails: Found[];
  urls: Found[];
  /** Products mentioned (ring, earrings, watch…), normalised to the dictionary form. */
  products: Found[];
  /** From a signature («С уважением, Анна») or self-introduction («меня зовут Анна»). */
  customerName?: Found;
}

export type SentimentLabel = 'negative' | 'neutral' | 'positive';

export interface Sentiment {
  label: SentimentLabel;
  /** -1 (very negative) … 1 (very positive). */
  score: number;
  /** Strong negative: threats of complaints to authorities, court, public reviews, insults. */
  strong: boolean;
  /** The words or phrases that decided it. */
  cues: string[];
}

export interface ConversationSummary {
  /** The customer's issue in one or two sentences taken from their own words. */
  issue: string;
  /** What has been tried or done already (by the customer or the team). */
  tried: string[];
  /** What the team has promised (from operator turns). */
  promised: string[];
  /** Questions of the customer that no operator turn answered yet. */
  openQuestions: string[];
  entities: Entities;
  sentiment: Sentiment;
}

export type DraftFindingType =
  | 'missing-greeting'
  | 'missing-introduction'
  | 'missing-thanks'
  | 'missing-closing'
  /** A required script step without a finding type of its own (apology, hold). */
  | 'missing-step'
  | 'address-form'
  | 'banned-phrase'
  | 'missing-required-phrase'
  | 'too-long'
  /** Guard rules (rules/guard.ts): asks for card data, CVV, a password or a one-time code. */
  | 'sensitive-data-request'
  /** Guard rules: promises money beyond policy. */
  | 'money-promise'
  /** Guard rules: links outside the tenant's allowed domains. */
  | 'external-link'
  /** Model check (pipeline/model-checker.ts): a banned promise in other words. */
  | 'banned-promise'
  /** Model check: rudeness the word lists miss. */
  | 'rudeness'
  /** Model check: a claim or an action stated as done that nothing backs. */
  | 'unfounded-claim';

export interface DraftFinding {
  type: DraftFindingType;
  severity: 'error' | 'warning' | 'info';
  message: string;
  /** Span in the draft to underline; absent for findings about something missing. */
  span?: { start: number; end: number };
  suggestion?: string;
  /** documentId of the script rule it comes from, for citations. */
  ruleId?: string;
}

/** What the routing rules suggest doing with the conversation, strongest first. */
export interface NextAction {
  type: 'handover' | 'ask' | 'close' | 'escalate';
  department?: { id: string; name: string };
  /** For `ask`: the slot to request. */
  slot?: string;
  /** Why, for the operator, in the conversation's language when the rule gives it. */
  reason: string;
  /** The routing rule's id (its documentId), for citations. */
  ruleId: string;
  priority: number;
}
