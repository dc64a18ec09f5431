/**
 * The parts of an operator script (FORMATS.md, `naparnik: scripts`) and of routing rules
 * (`naparnik: routing`) that the rule functions read, typed structurally so that both the parsed
 * files (ingest's naparnik-schema.ts) and chunk metadata fit without conversion.
 */

export type ScriptStepKind = 'greeting' | 'introduction' | 'thanks' | 'apology' | 'hold' | 'closing';

export interface ScriptStepLike {
  id: string;
  step: ScriptStepKind | (string & {});
  channels?: readonly string[] | undefined;
  variants?: readonly string[] | undefined;
  /** What counts as this step in a draft; defaults per step kind when empty. */
  detect?: readonly string[] | undefined;
  required?: boolean | undefined;
  position?: 'start' | 'end' | 'any' | undefined;
  /** The step's documentId (`<file id>/<step id>`), when known. */
  documentId?: string | undefined;
}

export interface PhraseRuleLike {
  phrase?: string | undefined;
  /** A case-insensitive regular expression instead of a phrase. */
  pattern?: string | undefined;
  reason?: string | undefined;
  channels?: readonly string[] | undefined;
}

export interface BannedRuleLike extends PhraseRuleLike {
  suggestion?: string | undefined;
}

export interface ScriptRulesLike {
  banned?: readonly BannedRuleLike[] | undefined;
  required?: readonly PhraseRuleLike[] | undefined;
  /** Maximum characters per channel. */
  length?: Readonly<Partial<Record<string, number>>> | undefined;
}

export type RoutingActionType = 'handover' | 'ask' | 'close' | 'escalate';
export type SentimentCondition = 'negative' | 'neutral' | 'positive';

export interface RoutingConditionLike {
  topics?: readonly string[] | undefined;
  keywords?: readonly string[] | undefined;
  patterns?: readonly string[] | undefined;
  channels?: readonly string[] | undefined;
  sentiment?: SentimentCondition | readonly SentimentCondition[] | undefined;
  missing?: readonly string[] | undefined;
  /** Situations the customer's words put the conversation in (`text/claims.ts`). */
  situations?: readonly string[] | undefined;
}

export interface RoutingRuleLike {
  id: string;
  action: RoutingActionType;
  department?: string | undefined;
  slot?: string | undefined;
  priority?: number | undefined;
  when?: RoutingConditionLike | undefined;
  reason?: string | undefined;
  reasons?: Readonly<Record<string, string>> | undefined;
}

export interface DepartmentLike {
  id: string;
  name: string;
  description?: string | undefined;
}
