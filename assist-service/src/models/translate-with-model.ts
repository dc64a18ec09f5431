/**
 * `translateWithModel({text, sourceLanguage, targetLanguage, address, redaction?}, deps)` →
 * `{text, addedFacts, lostFacts, promptId, model, usage, costUsd}`: the operator's reply in the
 * customer's language. Numbers, dates, amounts, ids and links must survive: any the translation
 * added or lost is reported, so the panel can show the original instead.
 */
import type { RedactionMap } from '@naparnik/ingest';
import type { ChatUsage } from './chat-model.ts';
import { languageForChecks } from './compose-with-model.ts';
import { checkFacts, type Fact } from './fact-check.ts';
import { type ModelTaskDependencies, redactAll, restoreWith, runModelTask } from './model-task.ts';

export interface TranslateInput {
  text: string;
  sourceLanguage: string;
  targetLanguage: string;
  /** The team's address form where the target language has one. */
  address: 'вы' | 'ты';
  redaction?: RedactionMap | undefined;
  now?: Date | undefined;
}

export interface TranslateResult {
  text: string;
  addedFacts: Fact[];
  lostFacts: Fact[];
  promptId: string;
  model: string;
  usage: ChatUsage;
  costUsd: number | null;
}

export async function translateWithModel(
  input: TranslateInput,
  dependencies: ModelTaskDependencies,
): Promise<TranslateResult> {
  const redacted = redactAll([input.text], input.redaction);
  const original = redacted.texts[0]!;
  const run = await runModelTask(
    {
      source_language: input.sourceLanguage,
      target_language: input.targetLanguage,
      address: input.address,
      text: original,
    },
    dependencies,
    { temperature: 0 },
  );
  const translated = run.text.trim();
  const now = input.now ?? new Date();
  const added = checkFacts(translated, [original], {
    now,
    language: languageForChecks(input.targetLanguage),
  });
  const lost = checkFacts(original, [translated], { now, language: languageForChecks(input.sourceLanguage) });
  return {
    text: restoreWith(redacted.map)(translated),
    addedFacts: added.ungrounded,
    lostFacts: lost.ungrounded,
    promptId: run.promptId,
    model: run.model,
    usage: run.usage,
    costUsd: run.costUsd,
  };
}
