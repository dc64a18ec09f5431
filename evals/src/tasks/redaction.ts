import {
  type FoundPersonalData,
  PERSONAL_DATA_KINDS,
  type PersonalDataKind,
  redactPersonalData,
  STRUCTURED_KINDS,
} from '@naparnik/ingest';
import { generatePiiCorpus, type PiiTemplate, piiTemplateSchema } from '../data/pii-corpus.ts';
import { type DataRecord, readRecords } from '../data/records.ts';
import { EvalRunError } from '../errors.ts';
import type { CaseFailure } from '../result.ts';
import { MAX_FAILURES } from '../result.ts';
import type { RedactionSuite } from '../suite/schema.ts';
import type { TaskContext, TaskOutput } from './task.ts';

/**
 * The personal-data redaction (ingest/src/privacy) on a generated, labelled corpus and on real
 * support text with nothing planted.
 * - `recall.<kind>`: planted values wholly covered by one masked span of their kind;
 *   `recall_structured` over phones, e-mails, cards, passports, SNILS and INN together.
 * - `precision`: masked spans that lie on a planted value of their kind.
 * - `decoys_kept`: order and tracking numbers, prices, dates and wrong-checksum numbers left alone.
 * - `real.<name>.clean_rate`: real messages in which nothing was masked; the spans masked there
 *   are listed by kind in the notes and the breakdown, for a person to judge.
 */

interface Range {
  start: number;
  end: number;
}

function overlaps(left: Range, right: Range): boolean {
  return left.start < right.end && right.start < left.end;
}

function readTemplates(suite: RedactionSuite, context: TaskContext): PiiTemplate[] {
  const where = context.resolve(suite.cases.path);
  return readRecords(suite.cases, context.resolve).map((record, index) => {
    const parsed = piiTemplateSchema.safeParse(record);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new EvalRunError(
        'data-invalid',
        `${where} record ${index + 1}: ${issue?.path.join('.') || 'template'}: ${issue?.message ?? 'invalid'}`,
      );
    }
    return parsed.data;
  });
}

/** The messages of one real-text record: each named field, or each turn of a field holding turns. */
function messagesOf(record: DataRecord, fields: readonly string[], where: string): string[] {
  const messages: string[] = [];
  for (const field of fields) {
    const value = record[field];
    if (typeof value === 'string') messages.push(value);
    else if (Array.isArray(value)) {
      for (const turn of value) {
        const text = (turn ?? {}) as { text?: unknown };
        if (typeof text.text !== 'string')
          throw new EvalRunError('data-invalid', `${where}: ${field}: a turn without text`);
        messages.push(text.text);
      }
    } else if (value !== undefined && value !== null) {
      throw new EvalRunError('data-invalid', `${where}: ${field} must be text or a list of turns`);
    }
  }
  return messages;
}

function ratio(part: number, whole: number): number {
  return whole === 0 ? Number.NaN : part / whole;
}

function countByKind(spans: readonly FoundPersonalData[]): Record<PersonalDataKind, number> {
  const counts = Object.fromEntries(PERSONAL_DATA_KINDS.map((kind) => [kind, 0])) as Record<
    PersonalDataKind,
    number
  >;
  for (const span of spans) counts[span.kind] += 1;
  return counts;
}

function describeCounts(counts: Record<PersonalDataKind, number>): string {
  const parts = PERSONAL_DATA_KINDS.filter((kind) => counts[kind] > 0).map(
    (kind) => `${kind} ${counts[kind]}`,
  );
  return parts.length ? parts.join(', ') : 'none';
}

export async function runRedaction(suite: RedactionSuite, context: TaskContext): Promise<TaskOutput> {
  const templates = readTemplates(suite, context);
  const corpus = generatePiiCorpus(templates, { seed: suite.cases.seed, count: suite.cases.count });
  const planted = Object.fromEntries(
    PERSONAL_DATA_KINDS.map((kind) => [kind, { n: 0, recalled: 0 }]),
  ) as Record<PersonalDataKind, { n: number; recalled: number }>;
  let spans = 0;
  let correctSpans = 0;
  let decoys = 0;
  let decoysKept = 0;
  const misses: CaseFailure[] = [];
  const falseAlarms: CaseFailure[] = [];
  for (const message of corpus) {
    const { found } = redactPersonalData(message.text, { language: message.language });
    for (const value of message.planted) {
      planted[value.kind].n += 1;
      const hit = found.some(
        (span) => span.kind === value.kind && span.start <= value.start && span.end >= value.end,
      );
      if (hit) planted[value.kind].recalled += 1;
      else if (misses.length < MAX_FAILURES) {
        misses.push({
          id: message.id,
          input: message.text,
          expected: `${value.kind} «${value.value}»`,
          got: found.map((span) => `${span.kind} «${message.text.slice(span.start, span.end)}»`),
        });
      }
    }
    for (const decoy of message.decoys) {
      decoys += 1;
      const masked = found.find((span) => overlaps(span, decoy));
      if (!masked) decoysKept += 1;
      else if (falseAlarms.length < MAX_FAILURES) {
        falseAlarms.push({
          id: message.id,
          input: message.text,
          expected: `${decoy.slot} «${decoy.value}» kept`,
          got: `${masked.kind} «${message.text.slice(masked.start, masked.end)}»`,
        });
      }
    }
    spans += found.length;
    correctSpans += found.filter((span) =>
      message.planted.some((value) => value.kind === span.kind && overlaps(value, span)),
    ).length;
  }

  const metrics: Record<string, number> = {};
  let structured = 0;
  let structuredRecalled = 0;
  for (const kind of PERSONAL_DATA_KINDS) {
    if (planted[kind].n === 0) continue;
    metrics[`recall.${kind}`] = ratio(planted[kind].recalled, planted[kind].n);
    if (STRUCTURED_KINDS.includes(kind)) {
      structured += planted[kind].n;
      structuredRecalled += planted[kind].recalled;
    }
  }
  const allPlanted = PERSONAL_DATA_KINDS.reduce((total, kind) => total + planted[kind].n, 0);
  const allRecalled = PERSONAL_DATA_KINDS.reduce((total, kind) => total + planted[kind].recalled, 0);
  metrics.recall_structured = ratio(structuredRecalled, structured);
  metrics.recall_all = ratio(allRecalled, allPlanted);
  metrics.precision = ratio(correctSpans, spans);
  metrics.decoys_kept = ratio(decoysKept, decoys);

  const notes = [
    `${corpus.length} generated messages from ${templates.length} templates (seed ${suite.cases.seed}): ${allPlanted} planted values, ${decoys} decoys (order and tracking numbers, prices, dates, wrong check digits)`,
    `planted per kind: ${PERSONAL_DATA_KINDS.filter((kind) => planted[kind].n > 0)
      .map((kind) => `${kind} ${planted[kind].n}`)
      .join(', ')}`,
  ];
  const realCounts: Record<string, Record<PersonalDataKind, number>> = {};
  const realSamples: CaseFailure[] = [];
  for (const spec of suite.realText) {
    const where = context.resolve(spec.path);
    let messages = 0;
    let clean = 0;
    const masked: FoundPersonalData[] = [];
    readRecords(spec, context.resolve).forEach((record, index) => {
      const id =
        typeof record.id === 'string'
          ? record.id
          : typeof record.conversation_id === 'string'
            ? record.conversation_id
            : `${index + 1}`;
      for (const text of messagesOf(record, spec.fields, `${where} record ${index + 1}`)) {
        messages += 1;
        const { found } = redactPersonalData(text, { language: spec.language });
        if (found.length === 0) clean += 1;
        masked.push(...found);
        for (const span of found) {
          if (realSamples.length < MAX_FAILURES) {
            realSamples.push({
              id: `${spec.name}/${id}`,
              input: text.slice(Math.max(0, span.start - 60), span.end + 60),
              expected: 'nothing planted',
              got: `${span.kind} «${span.value}»`,
            });
          }
        }
      }
    });
    metrics[`real.${spec.name}.clean_rate`] = ratio(clean, messages);
    realCounts[spec.name] = countByKind(masked);
    notes.push(
      `${spec.name}: ${messages} real messages, ${messages - clean} with something masked, ${masked.length} spans (${describeCounts(realCounts[spec.name]!)})`,
    );
  }

  return {
    n: corpus.length,
    metrics,
    failures: [...misses, ...falseAlarms, ...realSamples].slice(0, MAX_FAILURES),
    details: {
      notes: [
        ...notes,
        'failures: missed planted values first, then masked decoys, then spans masked in real text',
      ],
      breakdown: {
        field: 'kind',
        groups: PERSONAL_DATA_KINDS.map((kind) => ({
          name: kind,
          n: planted[kind].n,
          metrics: {
            ...(planted[kind].n ? { recall: ratio(planted[kind].recalled, planted[kind].n) } : {}),
            ...Object.fromEntries(
              Object.entries(realCounts).map(([name, counts]) => [`masked in ${name}`, counts[kind]]),
            ),
          },
        })),
      },
      distributions: [],
    },
  };
}
