/**
 * Prompt references: `<task>@v<N>`, e.g. `reply@v1`. This is what configuration pins
 * (`NAPARNIK_PROMPT_REPLY=reply@v1`) and what every generated suggestion records as `promptId`.
 */
import { z } from 'zod';

/** The tasks that have a folder of templates here. */
export const PROMPT_TASKS = [
  'reply',
  'summary',
  'next-actions',
  'rewrite',
  'translate',
  'check-draft',
  'faq-from-answers',
  /** The evals' LLM-judged rubric (live only). */
  'judge',
] as const;
export type PromptTask = (typeof PROMPT_TASKS)[number];

export interface PromptRef {
  task: PromptTask;
  version: number;
}

const REF = /^([a-z][a-z-]*)@v([1-9]\d{0,3})$/;

export function parsePromptRef(value: string): PromptRef {
  const match = REF.exec(value.trim());
  if (!match) throw new PromptError(`"${value}" is not a prompt reference like reply@v1.`);
  const task = match[1] as PromptTask;
  if (!PROMPT_TASKS.includes(task)) {
    throw new PromptError(`"${value}": unknown prompt task "${task}" (known: ${PROMPT_TASKS.join(', ')}).`);
  }
  return { task, version: Number(match[2]) };
}

export function formatPromptRef(ref: PromptRef): string {
  return `${ref.task}@v${ref.version}`;
}

/** A zod schema for a pinned reference of one task, for configuration. */
export function promptRefSchema(task: PromptTask) {
  return z.string().transform((value, context) => {
    try {
      const ref = parsePromptRef(value);
      if (ref.task !== task) {
        context.addIssue({ code: 'custom', message: `must pin a "${task}" prompt, got "${value}"` });
        return z.NEVER;
      }
      return formatPromptRef(ref);
    } catch (error) {
      context.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  });
}

const PROMPT_ERROR = Symbol.for('naparnik.prompt-error');

/** Every failure of this package: a bad reference, a malformed template, a missing or undeclared input. */
export class PromptError extends Error {
  readonly code = 'prompt-invalid';
  readonly [PROMPT_ERROR] = true;
  override name = 'PromptError';

  static isInstance(error: unknown): error is PromptError {
    return typeof error === 'object' && error !== null && PROMPT_ERROR in error;
  }
}
