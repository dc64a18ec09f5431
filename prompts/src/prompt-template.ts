/**
 * One prompt template: a Markdown file with YAML front matter and two parts.
 *
 * ```
 * ---
 * id: reply            # the task folder it lives in
 * version: 1           # the N of its file name vN.md
 * purpose: …
 * inputs:
 *   - name: sources
 *     description: …
 *     untrusted: true   # customer/page/knowledge text: wrapped in a labelled <data> block
 * ---
 * <!-- system -->
 * … the stable prefix: instructions, the team's rules (cached by providers that can) …
 * <!-- user -->
 * … the per-request part: sources, conversation …
 * ```
 *
 * Parsing fails loudly on a placeholder that is not declared, a declared input that is never
 * used, an untrusted input in the system part (the cached prefix holds only our text and the
 * team's rules) and a missing part. Rendering fails on a missing or an undeclared value.
 */
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { PROMPT_TASKS, PromptError, type PromptTask } from './prompt-ref.ts';
import { type FormattedBlocks, isFormattedBlocks, neutralizeMarkup, wrapUntrusted } from './untrusted.ts';

const inputSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'snake_case'),
  description: z.string().min(1),
  untrusted: z.boolean().default(false),
});
export type PromptInput = z.infer<typeof inputSchema>;

export const frontMatterSchema = z.strictObject({
  id: z.enum(PROMPT_TASKS),
  version: z.number().int().min(1),
  purpose: z.string().min(10),
  inputs: z.array(inputSchema).min(1),
});

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n([\s\S]*)$/;
const PLACEHOLDER = /\{\{\s*([a-z][a-z0-9_]*)\s*\}\}/g;
const SYSTEM_MARK = '<!-- system -->';
const USER_MARK = '<!-- user -->';

export type PromptValue = string | number | FormattedBlocks;

export interface RenderedPrompt {
  /** `id@vN`: recorded with every suggestion made from it. */
  promptId: string;
  /** The stable prefix (instructions and the team's rules): the part providers cache. */
  system: string;
  /** The per-request part. */
  user: string;
}

export interface PromptTemplate {
  id: PromptTask;
  version: number;
  /** `id@vN`. */
  promptId: string;
  purpose: string;
  inputs: readonly PromptInput[];
  render(values: Readonly<Record<string, PromptValue>>): RenderedPrompt;
}

function placeholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((match) => match[1]!);
}

/** Parses a template's text; `origin` names the file in errors. */
export function parsePromptTemplate(source: string, origin: string): PromptTemplate {
  const match = FRONT_MATTER.exec(source);
  if (!match) throw new PromptError(`${origin}: no YAML front matter between --- lines at the top.`);
  let raw: unknown;
  try {
    raw = parseYaml(match[1]!);
  } catch (error) {
    throw new PromptError(`${origin}: front matter is not valid YAML: ${(error as Error).message}`);
  }
  const parsed = frontMatterSchema.safeParse(raw);
  if (!parsed.success) {
    const details = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw new PromptError(`${origin}: invalid front matter: ${details.join('; ')}`);
  }
  const front = parsed.data;
  const body = match[2]!;
  const systemAt = body.indexOf(SYSTEM_MARK);
  const userAt = body.indexOf(USER_MARK);
  if (systemAt < 0 || userAt < systemAt) {
    throw new PromptError(`${origin}: the body needs "${SYSTEM_MARK}" and then "${USER_MARK}".`);
  }
  const system = body.slice(systemAt + SYSTEM_MARK.length, userAt).trim();
  const user = body.slice(userAt + USER_MARK.length).trim();

  const declared = new Map(front.inputs.map((input) => [input.name, input]));
  if (declared.size !== front.inputs.length) throw new PromptError(`${origin}: an input is declared twice.`);
  const used = new Set([...placeholders(system), ...placeholders(user)]);
  for (const name of used) {
    if (!declared.has(name))
      throw new PromptError(`${origin}: {{${name}}} is used but not declared in inputs.`);
  }
  for (const name of declared.keys()) {
    if (!used.has(name)) throw new PromptError(`${origin}: input "${name}" is declared but never used.`);
  }
  for (const name of placeholders(system)) {
    if (declared.get(name)?.untrusted) {
      throw new PromptError(`${origin}: untrusted input "${name}" may not appear in the system part.`);
    }
  }

  const promptId = `${front.id}@v${front.version}`;
  return {
    id: front.id,
    version: front.version,
    promptId,
    purpose: front.purpose,
    inputs: front.inputs,
    render(values) {
      for (const name of Object.keys(values)) {
        if (!declared.has(name)) {
          throw new PromptError(`${promptId}: value for undeclared input "${name}".`);
        }
      }
      for (const name of declared.keys()) {
        if (values[name] === undefined) throw new PromptError(`${promptId}: missing input "${name}".`);
      }
      // One pass: a value is never scanned for placeholders, so `{{name}}` inside customer text stays text.
      const fill = (text: string) =>
        text.replace(PLACEHOLDER, (_match, name: string) => {
          const value = values[name]!;
          const input = declared.get(name)!;
          if (input.untrusted) return wrapUntrusted(name, isFormattedBlocks(value) ? value : String(value));
          if (isFormattedBlocks(value)) return value.markup;
          return neutralizeMarkup(String(value));
        });
      return { promptId, system: fill(system), user: fill(user) };
    },
  };
}
