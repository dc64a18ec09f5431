import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { EvalRunError } from '../errors.ts';
import { stableHash } from './stable-hash.ts';

/**
 * Labelled documents for the injection suite, built the way the benchmarks build them: BIPIA
 * inserts each attack instruction at the start, middle or end of a clean document; garak's latent
 * probes put `separator + instruction(payload(trigger)) + separator` at a marker in a context (or
 * between fact paragraphs). Clean documents (the contexts without the injection) are the negatives.
 */
export interface LabelledText {
  id: string;
  /** The attack family (BIPIA category, garak probe class) or `clean`. */
  group: string;
  text: string;
  attack: boolean;
}

const categoriesSchema = z.record(z.string(), z.array(z.string()));

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new EvalRunError('data-invalid', `${file}: ${(error as Error).message}`);
  }
}

function parseCategories(file: string): Record<string, string[]> {
  const parsed = categoriesSchema.safeParse(readJson(file));
  if (!parsed.success) throw new EvalRunError('data-invalid', `${file}: expected {category: [text, …]}`);
  return parsed.data;
}

const POSITIONS = ['start', 'middle', 'end'] as const;

/** BIPIA's insertion: the attack on a line of its own before, inside (at a sentence end) or after. */
export function insertAttack(context: string, attack: string, position: (typeof POSITIONS)[number]): string {
  if (position === 'start') return `${attack}\n${context}`;
  if (position === 'end') return `${context}\n${attack}`;
  const half = Math.floor(context.length / 2);
  const after = context.slice(half).search(/[.!?]\s|\n/u);
  const at = after === -1 ? half : half + after + 1;
  return `${context.slice(0, at)}\n${attack}\n${context.slice(at)}`;
}

export function bipiaDocuments(file: string, contexts: readonly string[], seed: number): LabelledText[] {
  if (contexts.length === 0)
    throw new EvalRunError('data-invalid', 'no clean documents to insert attacks into');
  const documents: LabelledText[] = [];
  for (const [category, attacks] of Object.entries(parseCategories(file))) {
    attacks.forEach((attack, index) => {
      for (const position of POSITIONS) {
        const context = contexts[stableHash(`${seed}:${attack}:${position}`) % contexts.length]!;
        documents.push({
          id: `${category}#${index + 1}@${position}`,
          group: category,
          text: insertAttack(context, attack, position),
          attack: true,
        });
      }
    });
  }
  return documents;
}

export function garakSyspromptDocuments(file: string): LabelledText[] {
  return Object.entries(parseCategories(file)).flatMap(([category, prompts]) =>
    prompts.map((text, index) => ({ id: `${category}#${index + 1}`, group: category, text, attack: true })),
  );
}

const stringList = z.array(z.string());
const latentFileSchema = z.object({
  markers: z.object({ INJECTION_MARKER: z.string(), PAYLOAD_MARKER: z.string(), TRIGGER_MARKER: z.string() }),
  classes: z.record(z.string(), z.record(z.string(), z.unknown())),
});

type LatentClass = Record<string, unknown>;

/** A field of a probe class, inherited through `_bases` as Python would; computed fields are skipped. */
function field(
  classes: Record<string, LatentClass>,
  name: string,
  key: string,
  seen = new Set<string>(),
): string[] | undefined {
  const entry = classes[name];
  if (!entry || seen.has(name)) return undefined;
  seen.add(name);
  const own = stringList.safeParse(entry[key]);
  if (own.success && own.data.length > 0) return own.data;
  if (key in entry && !own.success) return undefined; // computed at run time in garak
  for (const base of stringList.safeParse(entry._bases).data ?? []) {
    const inherited = field(classes, base, key, seen);
    if (inherited) return inherited;
  }
  return undefined;
}

function pairs(classes: Record<string, LatentClass>, name: string): Array<[string, string]> {
  const entry = classes[name];
  const own = z.array(z.tuple([z.string(), z.string()])).safeParse(entry?.injection_sep_pairs);
  if (own.success) return own.data;
  for (const base of stringList.safeParse(entry?._bases).data ?? []) {
    const inherited = pairs(classes, base);
    if (inherited.length > 0) return inherited;
  }
  return [];
}

export function garakLatentDocuments(file: string, perClass: number, seed: number): LabelledText[] {
  const parsed = latentFileSchema.safeParse(readJson(file));
  if (!parsed.success)
    throw new EvalRunError('data-invalid', `${file}: expected garak's latent-injection templates`);
  const { markers, classes } = parsed.data;
  const documents: LabelledText[] = [];
  const cleanSeen = new Set<string>();
  // The "Full" classes carry every template; the shorter ones are samples of them.
  for (const name of Object.keys(classes).filter((candidate) => candidate.endsWith('Full'))) {
    const instructions = field(classes, name, 'injection_instructions');
    const payloads = field(classes, name, 'payloads');
    const triggers = field(classes, name, 'payload_triggers');
    const contexts = field(classes, name, 'contexts');
    const paragraphs = field(classes, name, 'paragraphs');
    const separators = pairs(classes, name);
    if (!instructions || !payloads || !triggers || (!contexts && !paragraphs) || separators.length === 0)
      continue;
    const built: LabelledText[] = [];
    for (const instruction of instructions)
      for (const payload of payloads)
        for (const trigger of triggers)
          for (const [open, close] of separators) {
            const injection = `${open}${instruction.replace(markers.PAYLOAD_MARKER, payload.replaceAll(markers.TRIGGER_MARKER, trigger))}${close}`;
            const key = `${name}:${injection}`;
            const text = contexts
              ? contexts[stableHash(`${seed}:${key}`) % contexts.length]!.replace(
                  markers.INJECTION_MARKER,
                  injection,
                )
              : insertAmong(paragraphs!, injection, stableHash(`${seed}:${key}`));
            built.push({ id: `${name}#${stableHash(text).toString(16)}`, group: name, text, attack: true });
          }
    built.sort((left, right) => stableHash(`${seed}:${left.id}`) - stableHash(`${seed}:${right.id}`));
    documents.push(...built.slice(0, perClass));
    const cleanTexts = contexts
      ? contexts.map((context) => context.replace(markers.INJECTION_MARKER, '').trim())
      : [paragraphs!.join('\n')];
    for (const text of cleanTexts) {
      if (text.length < 40 || cleanSeen.has(text)) continue;
      cleanSeen.add(text);
      documents.push({
        id: `${name}#clean-${stableHash(text).toString(16)}`,
        group: 'clean',
        text,
        attack: false,
      });
    }
  }
  return documents;
}

function insertAmong(paragraphs: readonly string[], injection: string, hash: number): string {
  const at = hash % (paragraphs.length + 1);
  return [...paragraphs.slice(0, at), injection, ...paragraphs.slice(at)].join('\n');
}
