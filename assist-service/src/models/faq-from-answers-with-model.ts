/**
 * `draftFaqFromAnswersWithModel({pairs, language}, deps)` → a draft FAQ entry from answers
 * operators already sent: `{entry: {question, variants, answer, conflicts, basedOn},
 * personalData, …}`. The stronger model is allowed here. Personal values are redacted before
 * the pairs go out and are NOT put back: a knowledge-base entry must not hold them, so any
 * placeholder the model left in the draft is listed in `personalData` for the editor to remove.
 * `basedOn` keeps only pair numbers that exist. Structured output through forced tool use
 * (`draft_faq_entry`, validated with zod).
 */
import { PLACEHOLDER_IN_TEXT } from '@naparnik/ingest';
import { formatAnswerPairs } from '@naparnik/prompts';
import { z } from 'zod';
import type { ChatUsage } from './chat-model.ts';
import { type ModelTaskDependencies, redactAll, runStructuredTask, structuredTool } from './model-task.ts';

const entrySchema = z.object({
  question: z.string().min(1).describe('The question as a customer would ask it.'),
  variants: z.array(z.string()).max(10).describe('Other wordings of the question from the pairs.'),
  answer: z.string().min(1).describe('The answer true for every pair.'),
  conflicts: z.array(z.string()).max(10).describe('Where operators answered differently, with pair numbers.'),
  basedOn: z.array(z.number().int()).max(200).describe('Numbers of the pairs the answer rests on.'),
});
export type FaqDraft = z.infer<typeof entrySchema>;

export const FAQ_ENTRY_TOOL = structuredTool({
  name: 'draft_faq_entry',
  description:
    'Draft one FAQ entry from the operators’ answers: the question, its variants, the answer they ' +
    'agree on, the conflicts between them and the pairs it rests on.',
  input: entrySchema,
});

export interface FaqFromAnswersInput {
  pairs: readonly { question: string; answer: string }[];
  language: string;
}

export interface FaqFromAnswersResult {
  entry: FaqDraft;
  /** Placeholders ([PHONE_1]…) left in the draft: personal data that must not reach the knowledge base. */
  personalData: string[];
  promptId: string;
  model: string;
  usage: ChatUsage;
  costUsd: number | null;
}

export async function draftFaqFromAnswersWithModel(
  input: FaqFromAnswersInput,
  dependencies: ModelTaskDependencies,
): Promise<FaqFromAnswersResult> {
  const redacted = redactAll(
    input.pairs.flatMap((pair) => [pair.question, pair.answer]),
    undefined,
  );
  const run = await runStructuredTask(
    {
      language: input.language,
      answers: formatAnswerPairs(
        input.pairs.map((_pair, index) => ({
          number: index + 1,
          question: redacted.texts[index * 2]!,
          answer: redacted.texts[index * 2 + 1]!,
        })),
      ),
    },
    dependencies,
    { temperature: 0, tool: FAQ_ENTRY_TOOL },
  );
  const { answer } = run;
  const entry = {
    ...answer,
    basedOn: [...new Set(answer.basedOn)].filter((number) => number >= 1 && number <= input.pairs.length),
  };
  const text = [entry.question, entry.answer, ...entry.variants].join('\n');
  return {
    entry,
    personalData: [...new Set(text.match(PLACEHOLDER_IN_TEXT) ?? [])],
    promptId: run.promptId,
    model: run.model,
    usage: run.usage,
    costUsd: run.costUsd,
  };
}
