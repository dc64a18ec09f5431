import { analyze } from '@naparnik/ingest';
import type { HistoryEntry } from '@naparnik/ingest/store';
import type { EditPattern, GapCluster, GapReason } from '../contract/index.ts';
import type { GapRow, OutcomeRow } from '../feedback/gap-signals.ts';
import { heavilyRewritten, REWRITE_SIMILARITY } from '../feedback/rewrite.ts';
import { clusterTexts, medoid, stemSimilarity, type TextCluster } from './text-clusters.ts';

/**
 * Knowledge gaps for the console (issue 12): conversations where the service had little to say
 * (a gap record, or a set of low or no confidence), or where operators dismissed the suggestions
 * or sent a reply that kept less than half of a suggestion's content words, clustered by the
 * customer's question and ranked by how often it came up.
 */
export interface GapItem {
  /** The suggestion set, or the gap record when it names none: one item per conversation turn. */
  key: string;
  question: string;
  reason: GapReason;
  at: string;
  collection: string;
  language: string;
  /** What the operator sent in the end (masked), when they sent anything. */
  sentAnswer?: string;
}

const LOW_CONFIDENCE = new Set(['low', 'none']);
const EXAMPLES = 5;

function isRewrite(outcome: OutcomeRow): boolean {
  if (outcome.sentText === undefined || outcome.suggestionText === undefined) return false;
  return heavilyRewritten(outcome.suggestionText, outcome.sentText);
}

/** One item per conversation turn that shows a gap; a turn with several signals counts once. */
export function gapItems(gaps: readonly GapRow[], outcomes: readonly OutcomeRow[]): GapItem[] {
  const bySet = new Map<string, OutcomeRow[]>();
  for (const outcome of outcomes) {
    const list = bySet.get(outcome.suggestionSetId);
    if (list) list.push(outcome);
    else bySet.set(outcome.suggestionSetId, [outcome]);
  }
  const sentOf = (setId: string | undefined) =>
    setId ? bySet.get(setId)?.findLast((outcome) => outcome.sentText?.trim())?.sentText : undefined;

  const items = new Map<string, GapItem>();
  for (const gap of gaps) {
    const key = gap.suggestionSetId ?? `gap:${gap.id}`;
    if (items.has(key) || gap.query.trim() === '') continue;
    const sentAnswer = sentOf(gap.suggestionSetId);
    items.set(key, {
      key,
      question: gap.query,
      reason: 'low-confidence',
      at: gap.createdAt,
      collection: gap.collection,
      language: gap.language,
      ...(sentAnswer ? { sentAnswer } : {}),
    });
  }
  for (const [setId, list] of bySet) {
    if (items.has(setId)) continue;
    const first = list[0]!;
    if (!first.question?.trim()) continue;
    const reason: GapReason | undefined = LOW_CONFIDENCE.has(first.confidenceLevel)
      ? 'low-confidence'
      : list.some(isRewrite)
        ? 'rewritten'
        : list.every((outcome) => outcome.dismissed && outcome.sentText === undefined)
          ? 'dismissed'
          : undefined;
    if (!reason) continue;
    const sentAnswer = sentOf(setId);
    items.set(setId, {
      key: setId,
      question: first.question,
      reason,
      at: first.createdAt,
      collection: first.collection,
      language: first.language,
      ...(sentAnswer ? { sentAnswer } : {}),
    });
  }
  return [...items.values()].sort((left, right) =>
    left.at < right.at ? -1 : left.at > right.at ? 1 : left.key < right.key ? -1 : 1,
  );
}

export interface ClusteredGaps {
  clusters: GapCluster[];
  /** The items of each cluster by its id, for drafting. */
  members: Map<string, GapItem[]>;
}

/** Clusters by question, largest first (then the most recent, then the id): the console's ranking. */
export function clusterGaps(items: readonly GapItem[]): ClusteredGaps {
  const clusters = clusterTexts(items.map((item) => item.question));
  const members = new Map<string, GapItem[]>();
  const described = clusters.map((cluster) => {
    const clusterItems = cluster.members.map((index) => items[index]!);
    members.set(cluster.id, clusterItems);
    return describe(cluster, clusterItems, items);
  });
  described.sort(
    (left, right) =>
      right.size - left.size ||
      (left.lastAt < right.lastAt ? 1 : left.lastAt > right.lastAt ? -1 : 0) ||
      (left.id < right.id ? -1 : 1),
  );
  return { clusters: described, members };
}

function describe(cluster: TextCluster, clusterItems: GapItem[], items: readonly GapItem[]): GapCluster {
  const reasons: Record<GapReason, number> = { 'low-confidence': 0, dismissed: 0, rewritten: 0 };
  for (const item of clusterItems) reasons[item.reason]++;
  const signatures = [...cluster.signatures].sort(
    (left, right) => right.count - left.count || left.first - right.first,
  );
  const examples = signatures.slice(0, EXAMPLES).map(({ first, count }) => {
    const item = items[first]!;
    return { question: item.question, reason: item.reason, at: item.at, count };
  });
  return {
    id: cluster.id,
    label: items[signatures[0]!.first]!.question,
    size: clusterItems.length,
    reasons,
    collections: [...new Set(clusterItems.map((item) => item.collection))].sort(),
    sentAnswers: clusterItems.filter((item) => item.sentAnswer).length,
    firstAt: clusterItems[0]!.at,
    lastAt: clusterItems.at(-1)!.at,
    examples,
  };
}

/**
 * History for a new FAQ entry made from a cluster: each conversation of the cluster in `collection`
 * where the operator sent a reply becomes (again) the history entry of its suggestion set
 * (`feedback:<set>`, the id history-learning.ts gives it), now naming the new entry. The replies
 * were rewrites or answers past the suggestions, so they are evidence for the entry drafted from
 * them, not for the documents those suggestions cited.
 */
export function historyForEntry(
  items: readonly GapItem[],
  collection: string,
  documentId: string,
): HistoryEntry[] {
  return items
    .filter(
      (item) => item.collection === collection && item.sentAnswer?.trim() && !item.key.startsWith('gap:'),
    )
    .map((item) => ({
      id: `feedback:${item.key}`,
      question: item.question,
      answer: item.sentAnswer!.trim(),
      documentIds: [documentId],
      source: 'feedback' as const,
      createdAt: item.at,
    }));
}

/** Placeholders the masking leaves ([PHONE], [CARD_1]…): personal data that must not reach the KB. */
const PLACEHOLDER = /\[(?:PHONE|EMAIL|CARD|PASSPORT|SNILS|INN|NAME|ADDRESS|ACCOUNT|ORDER)(?:_\d+)?\]/gu;

export function placeholdersIn(...texts: string[]): string[] {
  return [...new Set(texts.join('\n').match(PLACEHOLDER) ?? [])];
}

/** Answers a draft looks at, at most: the medoid is quadratic in them. */
export const DRAFT_ANSWERS = 200;

export interface OfflineDraft {
  question: string;
  variants: string[];
  answer: string;
  basedOn: number;
  answersAvailable: number;
  conflicts: string[];
  personalData: string[];
  language: string;
  /** The question/answer pairs a model may be given (the most recent ones). */
  pairs: { question: string; answer: string }[];
}

/**
 * The offline draft: the cluster's most frequent question, its other phrasings as variants, and as
 * the answer the medoid of the replies operators sent, word for word — the reply most like all the
 * others, never a text of our own. Replies that share little with it are listed as conflicts for
 * the manager to settle.
 */
export function offlineFaqDraft(
  cluster: GapCluster,
  clusterItems: readonly GapItem[],
): OfflineDraft | undefined {
  const answered = clusterItems.filter((item) => item.sentAnswer?.trim()).slice(-DRAFT_ANSWERS);
  if (answered.length === 0) return undefined;
  const answers = answered.map((item) => item.sentAnswer!.trim());
  const chosen = answers[medoid(answers)]!;
  const chosenStems = new Set(analyze(chosen));
  const conflicts = [
    ...new Set(
      answers.filter((answer) => stemSimilarity(chosenStems, new Set(analyze(answer))) < REWRITE_SIMILARITY),
    ),
  ].slice(0, 3);
  const variants = cluster.examples
    .map((example) => example.question.trim())
    .filter((question) => question !== cluster.label.trim())
    .slice(0, 5);
  const languages = new Map<string, number>();
  for (const item of clusterItems) languages.set(item.language, (languages.get(item.language) ?? 0) + 1);
  const language = [...languages].sort((left, right) => right[1] - left[1])[0]?.[0] ?? 'ru';
  return {
    question: cluster.label.trim(),
    variants,
    answer: chosen,
    basedOn: answers.length - countDiffering(answers, chosenStems),
    answersAvailable: answers.length,
    conflicts,
    personalData: placeholdersIn(cluster.label, chosen, ...variants),
    language,
    pairs: answered.slice(-20).map((item) => ({ question: item.question, answer: item.sentAnswer!.trim() })),
  };
}

function countDiffering(answers: readonly string[], chosenStems: ReadonlySet<string>): number {
  return answers.filter(
    (answer) => stemSimilarity(chosenStems, new Set(analyze(answer))) < REWRITE_SIMILARITY,
  ).length;
}

/**
 * Operator edits as knowledge: per cited document, the replies operators sent after changing its
 * suggestion, clustered; the largest group of like rewrites (two or more) is the document's
 * pattern, its medoid the typical rewrite. Ranked by how many sends the pattern covers.
 */
export function editPatterns(
  outcomes: readonly OutcomeRow[],
  options: { minimum?: number } = {},
): EditPattern[] {
  const minimum = options.minimum ?? 2;
  const byDocument = new Map<string, OutcomeRow[]>();
  for (const outcome of outcomes) {
    if (!outcome.documentId || outcome.sentText === undefined || outcome.suggestionText === undefined)
      continue;
    if (normalizeSpace(outcome.sentText) === normalizeSpace(outcome.suggestionText)) continue;
    const key = `${outcome.collection}\u0000${outcome.documentId}`;
    const list = byDocument.get(key);
    if (list) list.push(outcome);
    else byDocument.set(key, [outcome]);
  }
  const patterns: EditPattern[] = [];
  for (const edits of byDocument.values()) {
    if (edits.length < minimum) continue;
    const texts = edits.map((edit) => edit.sentText!.trim());
    const largest = clusterTexts(texts, { threshold: 0.6 }).sort(
      (left, right) => right.members.length - left.members.length || left.leader - right.leader,
    )[0];
    if (!largest || largest.members.length < minimum) continue;
    const groupTexts = largest.members.map((index) => texts[index]!);
    const sample = groupTexts.slice(-DRAFT_ANSWERS);
    const typical = sample[medoid(sample)]!;
    const latest = edits.at(-1)!;
    patterns.push({
      collection: latest.collection,
      documentId: latest.documentId!,
      title: latest.suggestionTitle ?? latest.documentId!,
      kind: latest.suggestionKind ?? 'template',
      editedSends: edits.length,
      count: largest.members.length,
      suggestionText: latest.suggestionText!,
      typicalRewrite: typical,
      examples: [...new Set(groupTexts.filter((text) => text !== typical))].slice(0, 3),
    });
  }
  return patterns.sort(
    (left, right) =>
      right.count - left.count ||
      (left.collection + left.documentId < right.collection + right.documentId ? -1 : 1),
  );
}

function normalizeSpace(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}
