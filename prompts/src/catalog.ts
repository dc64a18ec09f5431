/**
 * Loading templates from this package's folders: `<task>/v<N>.md`, by reference (`reply@v1`).
 * Every file is read and checked when loaded, so a service that pins a broken or missing
 * version fails at start, not at its first request.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatPromptRef, PROMPT_TASKS, PromptError, type PromptTask, parsePromptRef } from './prompt-ref.ts';
import { type PromptTemplate, parsePromptTemplate } from './prompt-template.ts';

/** The package root, where the task folders are. */
export const PROMPTS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const VERSION_FILE = /^v([1-9]\d{0,3})\.md$/;

export function promptFilePath(ref: string, directory = PROMPTS_DIR): string {
  const parsed = parsePromptRef(ref);
  return path.join(directory, parsed.task, `v${parsed.version}.md`);
}

/** Loads and checks one template; its front matter must agree with its folder and file name. */
export function loadPrompt(ref: string, directory = PROMPTS_DIR): PromptTemplate {
  const parsed = parsePromptRef(ref);
  const file = promptFilePath(ref, directory);
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch {
    throw new PromptError(`${formatPromptRef(parsed)}: no file ${path.relative(directory, file)}.`);
  }
  const template = parsePromptTemplate(source, path.relative(directory, file));
  if (template.id !== parsed.task || template.version !== parsed.version) {
    throw new PromptError(
      `${path.relative(directory, file)}: front matter says ${template.promptId}, the file name says ${formatPromptRef(parsed)}.`,
    );
  }
  return template;
}

/** Every `task@vN` present on disk, tasks in PROMPT_TASKS order, versions ascending. */
export function listPromptRefs(directory = PROMPTS_DIR): string[] {
  const refs: string[] = [];
  for (const task of PROMPT_TASKS) {
    let files: string[] = [];
    try {
      files = readdirSync(path.join(directory, task));
    } catch {
      continue;
    }
    const versions = files
      .map((file) => VERSION_FILE.exec(file)?.[1])
      .filter((version): version is string => version !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
    for (const version of versions) refs.push(`${task}@v${version}`);
  }
  return refs;
}

export type PinnedPrompts = Record<PromptTask, PromptTemplate>;

/** Loads every pinned template at once (configuration's `prompts`); throws on the first bad one. */
export function loadPinnedPrompts(pins: Readonly<Record<PromptTask, string>>, directory = PROMPTS_DIR) {
  const loaded = {} as PinnedPrompts;
  for (const task of PROMPT_TASKS) {
    const ref = pins[task];
    if (parsePromptRef(ref).task !== task) throw new PromptError(`The ${task} pin names ${ref}.`);
    loaded[task] = loadPrompt(ref, directory);
  }
  return loaded;
}
