import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { EvalRunError } from '../errors.ts';
import { parseJsonl, readRecords, stringField } from './records.ts';

/**
 * A labelled case file (the Russian injection benchmark, `fixtures/injection-ru.jsonl`): each line
 * an attack or a benign message with where it came from. A real text is not copied into the repo:
 * `ref` names the dataset file (relative to the repository root), the record id and the field.
 */
export const labelledCaseSchema = z
  .object({
    id: z.string().min(1),
    split: z.enum(['dev', 'test']),
    label: z.enum(['attack', 'benign']),
    category: z.string().regex(/^[a-z0-9][a-z0-9-]*$/u, 'lower-case letters, digits and "-"'),
    text: z.string().min(1).optional(),
    ref: z
      .object({ path: z.string().min(1), id: z.string().min(1), field: z.string().min(1) })
      .strict()
      .optional(),
    provenance: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('written'), note: z.string().optional() }).strict(),
      z.object({ kind: z.literal('translated'), from: z.string().min(1) }).strict(),
      z.object({ kind: z.literal('real'), from: z.string().min(1) }).strict(),
    ]),
  })
  .strict()
  .refine((value) => (value.text === undefined) !== (value.ref === undefined), {
    message: 'give the text or a ref to it, one of the two',
  });

export type LabelledCase = Omit<z.infer<typeof labelledCaseSchema>, 'text'> & { text: string };

/** Every case of the file with its text (a ref read from its dataset); a bad line names itself. */
export function readLabelledCases(file: string, resolve: (relative: string) => string): LabelledCase[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new EvalRunError('data-missing', `${file}: cannot read (${(error as Error).message})`);
  }
  const referenced = new Map<string, Map<string, Record<string, unknown>>>();
  const recordOf = (path: string, id: string) => {
    let byId = referenced.get(path);
    if (!byId) {
      byId = new Map(readRecords({ path }, resolve).map((record) => [String(record.id), record]));
      referenced.set(path, byId);
    }
    return byId.get(id);
  };
  const ids = new Set<string>();
  return parseJsonl(text, file).map((record, index) => {
    const parsed = labelledCaseSchema.safeParse(record);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new EvalRunError(
        'data-invalid',
        `${file}: line ${index + 1}: ${issue?.path.join('.') || 'case'}: ${issue?.message}`,
      );
    }
    const entry = parsed.data;
    if (ids.has(entry.id))
      throw new EvalRunError('data-invalid', `${file}: line ${index + 1}: id ${entry.id} twice`);
    ids.add(entry.id);
    if (entry.text !== undefined) return { ...entry, text: entry.text };
    const ref = entry.ref as NonNullable<typeof entry.ref>;
    const source = recordOf(ref.path, ref.id);
    if (!source)
      throw new EvalRunError(
        'data-invalid',
        `${file}: line ${index + 1}: ${ref.path} has no record ${ref.id}`,
      );
    return { ...entry, text: stringField(source, ref.field, `${ref.path} record ${ref.id}`) };
  });
}
