/**
 * @naparnik/prompts: versioned prompt templates and their typed loader.
 *
 * - `loadPrompt('reply@v1')` → a checked template; `template.render(values)` →
 *   `{promptId: 'reply@v1', system, user}`. Missing or undeclared values throw `PromptError`.
 * - `loadPinnedPrompts(pins)` loads every task's pinned version at start.
 * - `formatSources`, `formatConversation`, `formatAnswerPairs` lay untrusted text out in labelled
 *   blocks with any of our delimiters inside it neutralized.
 * - `DEFAULT_PROMPT_PINS`: the versions a service uses unless configuration pins others.
 */
export {
  listPromptRefs,
  loadPinnedPrompts,
  loadPrompt,
  type PinnedPrompts,
  PROMPTS_DIR,
  promptFilePath,
} from './catalog.ts';
export {
  formatPromptRef,
  PROMPT_TASKS,
  PromptError,
  type PromptRef,
  type PromptTask,
  parsePromptRef,
  promptRefSchema,
} from './prompt-ref.ts';
export {
  type PromptInput,
  type PromptTemplate,
  type PromptValue,
  parsePromptTemplate,
  type RenderedPrompt,
} from './prompt-template.ts';
export {
  type FormattedBlocks,
  formatAnswerPairs,
  formatConversation,
  formatSources,
  isFormattedBlocks,
  neutralizeMarkup,
  type PromptAnswerPair,
  type PromptMessage,
  type PromptSource,
  wrapUntrusted,
} from './untrusted.ts';

import type { PromptTask } from './prompt-ref.ts';

/** The version of each task a service uses unless its configuration pins another. */
export const DEFAULT_PROMPT_PINS: Readonly<Record<PromptTask, string>> = {
  reply: 'reply@v1',
  summary: 'summary@v2',
  'next-actions': 'next-actions@v2',
  rewrite: 'rewrite@v1',
  translate: 'translate@v1',
  'check-draft': 'check-draft@v2',
  'faq-from-answers': 'faq-from-answers@v2',
  judge: 'judge@v1',
};
