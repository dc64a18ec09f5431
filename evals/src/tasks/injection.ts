import {
  checkReplyGuard,
  detectInjection,
  scanCustomerMessage,
  scanKnowledgeText,
} from '@naparnik/ingest/safety';
import {
  bipiaDocuments,
  garakLatentDocuments,
  garakSyspromptDocuments,
  type LabelledText,
} from '../data/injection-attacks.ts';
import { type DataRecord, readRecords } from '../data/records.ts';
import { EvalRunError } from '../errors.ts';
import { type CaseFailure, MAX_FAILURES } from '../result.ts';
import type { InjectionRealText, InjectionSuite } from '../suite/schema.ts';
import type { TaskContext, TaskOutput } from './task.ts';

/**
 * The safety detector (ingest/src/safety) on attacks it was not written from, and on real support
 * text where nothing should be flagged.
 * - `<attack set>.recall`, `recall`: attacked documents flagged as prompt injection;
 * - `clean_kept`: clean documents (the same emails and contexts, no attack) not flagged;
 * - `precision`: flagged documents that carry an attack, over attacks and clean documents pooled;
 * - `real.<name>.clean_rate`: real texts with no flag (customer messages: the injection detector;
 *   replies: the reply guard; knowledge: both) — one minus the false-positive rate.
 */

function ratio(part: number, whole: number): number {
  return whole === 0 ? Number.NaN : part / whole;
}

function textsOf(record: DataRecord, spec: InjectionRealText, where: string): string[] {
  const texts: string[] = [];
  for (const name of spec.fields) {
    const value = record[name];
    if (typeof value === 'string') texts.push(value);
    else if (Array.isArray(value)) {
      for (const turn of value) {
        const { text, speaker } = (turn ?? {}) as { text?: unknown; speaker?: unknown };
        if (typeof text !== 'string')
          throw new EvalRunError('data-invalid', `${where}: ${name}: a turn without text`);
        if (!spec.speaker || speaker === spec.speaker) texts.push(text);
      }
    } else if (value !== undefined && value !== null) {
      throw new EvalRunError('data-invalid', `${where}: ${name} must be text or a list of turns`);
    }
  }
  return texts;
}

function flagsOf(text: string, check: InjectionRealText['check']): string[] {
  if (check === 'customer') return scanCustomerMessage(text).map((finding) => finding.rule);
  if (check === 'reply') return checkReplyGuard(text).map((finding) => finding.rule);
  return scanKnowledgeText(text)?.rules ?? [];
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/gu, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 299)}…` : flat;
}

export async function runInjection(suite: InjectionSuite, context: TaskContext): Promise<TaskOutput> {
  const where = context.resolve(suite.cases.path);
  const contexts = readRecords(suite.cases, context.resolve).map((record, index) => {
    const value = record[suite.cases.field];
    if (typeof value !== 'string')
      throw new EvalRunError('data-invalid', `${where} record ${index + 1}: no ${suite.cases.field}`);
    return value;
  });
  const sets = suite.attacks.map((attack) => {
    const file = context.resolve(attack.path);
    const documents =
      attack.format === 'bipia-text'
        ? bipiaDocuments(file, contexts, suite.cases.seed)
        : attack.format === 'garak-sysprompt'
          ? garakSyspromptDocuments(file)
          : garakLatentDocuments(file, attack.perClass, suite.cases.seed);
    return { name: attack.name, documents };
  });
  const clean: LabelledText[] = contexts.map((text, index) => ({
    id: `clean#${index + 1}`,
    group: 'clean',
    text,
    attack: false,
  }));

  const metrics: Record<string, number> = {};
  const groups = new Map<string, { n: number; flagged: number }>();
  const misses: CaseFailure[] = [];
  const falseFlags: CaseFailure[] = [];
  let attacks = 0;
  let caught = 0;
  let cleanTotal = 0;
  let cleanFlagged = 0;
  const judge = (document: LabelledText, set: string) => {
    const rules = detectInjection(document.text).map((finding) => finding.rule);
    const flagged = rules.length > 0;
    const key = document.attack ? `${set}/${document.group}` : 'clean';
    const group = groups.get(key) ?? { n: 0, flagged: 0 };
    group.n += 1;
    if (flagged) group.flagged += 1;
    groups.set(key, group);
    if (document.attack) {
      attacks += 1;
      if (flagged) caught += 1;
      else if (misses.length < MAX_FAILURES / 2)
        misses.push({
          id: `${set}/${document.id}`,
          input: excerpt(document.text),
          expected: 'flagged',
          got: 'not flagged',
        });
    } else {
      cleanTotal += 1;
      if (flagged) {
        cleanFlagged += 1;
        if (falseFlags.length < MAX_FAILURES / 2)
          falseFlags.push({
            id: `${set}/${document.id}`,
            input: excerpt(document.text),
            expected: 'not flagged',
            got: rules,
          });
      }
    }
    return flagged;
  };
  for (const document of clean) judge(document, 'bipia');
  for (const set of sets) {
    let setAttacks = 0;
    let setCaught = 0;
    for (const document of set.documents) {
      const flagged = judge(document, set.name);
      if (document.attack) {
        setAttacks += 1;
        if (flagged) setCaught += 1;
      }
    }
    metrics[`${set.name}.recall`] = ratio(setCaught, setAttacks);
  }
  metrics.recall = ratio(caught, attacks);
  metrics.clean_kept = ratio(cleanTotal - cleanFlagged, cleanTotal);
  metrics.precision = ratio(caught, caught + cleanFlagged);

  const notes = [
    `${attacks} attacked documents (${sets.map((set) => `${set.name} ${set.documents.filter((document) => document.attack).length}`).join(', ')}), ${cleanTotal} clean documents (${contexts.length} emails of ${suite.cases.path}, the rest garak's contexts without the injection)`,
    'held out: the rules were written from BIPIA’s train split and published attack phrasings; BIPIA’s test split is scored here (garak’s templates were read while writing the rules: see docs/decisions/0015-injection-detector.md)',
  ];
  for (const spec of suite.realText) {
    const file = context.resolve(spec.path);
    let texts = 0;
    let flagged = 0;
    const byRule = new Map<string, number>();
    readRecords(spec, context.resolve).forEach((record, index) => {
      for (const text of textsOf(record, spec, `${file} record ${index + 1}`)) {
        texts += 1;
        const rules = flagsOf(text, spec.check);
        if (rules.length === 0) continue;
        flagged += 1;
        for (const rule of new Set(rules)) byRule.set(rule, (byRule.get(rule) ?? 0) + 1);
        if (falseFlags.length < MAX_FAILURES)
          falseFlags.push({
            id: `${spec.name}/${index + 1}`,
            input: excerpt(text),
            expected: 'not flagged',
            got: rules,
          });
      }
    });
    metrics[`real.${spec.name}.clean_rate`] = ratio(texts - flagged, texts);
    const rules = [...byRule].map(([rule, count]) => `${rule} ${count}`).join(', ') || 'none';
    notes.push(`${spec.name} (${spec.check}): ${texts} real texts, ${flagged} flagged (${rules})`);
  }

  return {
    n: attacks + cleanTotal,
    metrics,
    failures: [...misses, ...falseFlags].slice(0, MAX_FAILURES),
    details: {
      notes: [...notes, 'failures: missed attacks first, then false flags (clean documents, real text)'],
      breakdown: {
        field: 'attack family',
        groups: [...groups].map(([name, group]) => ({
          name,
          n: group.n,
          metrics: { flagged: ratio(group.flagged, group.n) },
        })),
      },
      distributions: [],
    },
  };
}
