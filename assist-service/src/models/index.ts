/**
 * Language models for the compose stage (issue 10). What the pipeline calls:
 *
 * - `createChatModels(config.models, {logger})` → `{fast, strong, breaker, prices, maxOutputTokens}`
 *   or `undefined` (offline). Models are resilient: timeouts, retries, circuit breaker.
 * - `composeWithModel(input, {model, prompt, prices, signal, onDelta})` → a cited, fact-checked reply.
 * - `rewriteWithModel(input, deps)`, `translateWithModel(input, deps)` (text).
 * - `checkDraftWithModel(input, deps)`, `summarizeWithModel(input, deps)`,
 *   `suggestNextActionsWithModel(input, deps)`, `draftFaqFromAnswersWithModel(input, deps)`
 *   (structured outputs: one forced tool call, its input validated with zod — `runStructuredTask`).
 * - A failure is a `ModelError`; `degradedReason(error)` is what the offline fallback records.
 *
 * Network-bound: none of these may run inside the engines' CPU work queue.
 */

export { createAnthropicModel } from './anthropic-model.ts';
export type {
  ChatCallOptions,
  ChatMessage,
  ChatModel,
  ChatProvider,
  ChatRequest,
  ChatResult,
  ChatStreamEvent,
  ChatTool,
  ChatUsage,
} from './chat-model.ts';
export { addUsage, collectStream, emptyUsage } from './chat-model.ts';
export {
  CHECK_DRAFT_TOOL,
  type CheckDraftInput,
  type CheckDraftResult,
  checkDraftWithModel,
  MODEL_FINDING_CATEGORIES,
  type ModelDraftFinding,
} from './check-draft-with-model.ts';
export { type CircuitBreaker, type CircuitState, createCircuitBreaker } from './circuit-breaker.ts';
export {
  type ComposeCitation,
  type ComposeDelta,
  type ComposeDependencies,
  type ComposeInput,
  type ComposeMessage,
  type ComposeResult,
  type ComposeSource,
  composeWithModel,
} from './compose-with-model.ts';
export { type ChatModels, createChatModels } from './create-chat-models.ts';
export { checkFacts, type Fact, type FactKind, findFacts } from './fact-check.ts';
export {
  draftFaqFromAnswersWithModel,
  FAQ_ENTRY_TOOL,
  type FaqDraft,
  type FaqFromAnswersInput,
  type FaqFromAnswersResult,
} from './faq-from-answers-with-model.ts';
export {
  JUDGE_TOOL,
  type JudgeInput,
  type JudgeResult,
  judgeReplyWithModel,
  RUBRIC_CRITERIA,
  type Rubric,
  type RubricCriterion,
} from './judge-reply-with-model.ts';
export { degradedReason, MODEL_ERROR_CODES, ModelError, type ModelErrorCode } from './model-error.ts';
export {
  type ModelTaskDependencies,
  runStructuredTask,
  type ScriptRulesInput,
  STRUCTURED_RETRIES,
  type StructuredTool,
  structuredTool,
} from './model-task.ts';
export { createOpenAICompatibleModel } from './openai-compatible-model.ts';
export { costFor, costOf, type ModelPrice, type PriceTable } from './pricing.ts';
export { type ResilienceOptions, withResilience } from './resilient-model.ts';
export {
  MODEL_REWRITE_STYLES,
  type ModelRewriteStyle,
  type RewriteInput,
  type RewriteResult,
  rewriteWithModel,
} from './rewrite-with-model.ts';
export {
  type ModelNextAction,
  type ModelSummary,
  NEXT_ACTIONS_TOOL,
  type NextActionsInput,
  type RoutingInput,
  SUMMARY_TOOL,
  type SummaryInput,
  suggestNextActionsWithModel,
  summarizeWithModel,
} from './summary-with-model.ts';
export { type TranslateInput, type TranslateResult, translateWithModel } from './translate-with-model.ts';
