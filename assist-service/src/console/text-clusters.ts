import { createHash } from 'node:crypto';
import { analyze } from '@naparnik/ingest';

/**
 * Groups short texts (customer questions, operators' replies) by the content words they share,
 * with the analysis the lexical index uses (`@naparnik/ingest`'s `analyze`: normalisation,
 * stop words, Snowball stems): «Где мой заказ?» and «где заказы» are one question to retrieval,
 * so they are one question here. Decision record 0022 says why stems and not the embedder, with
 * the figures.
 *
 * Deterministic and single-pass:
 * 1. texts with the same set of stems are one *signature* (most repeats end here);
 * 2. signatures, most frequent first (ties by the signature's text), join the most similar
 *    *leader* when the IDF-weighted cosine of their stem sets reaches `threshold`, else lead a
 *    new cluster. Leaders never change once chosen, so the result depends on the input alone;
 * 3. candidate leaders come from an inverted index of the leaders' stems, looked up by the
 *    signature's rarest stems only (short lists), so one signature costs a few postings lists,
 *    not a scan of every leader (100k texts: see the bench).
 */
export interface TextClusterOptions {
  /** Least IDF-weighted cosine between a signature and its leader; default 0.4 (decision 0022). */
  threshold?: number;
  /** How many of a signature's rarest stems look up candidate leaders; default 4. */
  probeStems?: number;
}

export interface TextCluster {
  /** A short stable id: a hash of the leading signature. */
  id: string;
  /** Indexes into the input, in input order. */
  members: number[];
  /** The input index of the leading signature's first text. */
  leader: number;
  /** Per signature in the cluster: its first input index and how many inputs share it. */
  signatures: { first: number; count: number }[];
}

interface Signature {
  key: string;
  stems: string[];
  members: number[];
}

export function clusterTexts(texts: readonly string[], options: TextClusterOptions = {}): TextCluster[] {
  const threshold = options.threshold ?? 0.4;
  const probeStems = options.probeStems ?? 4;

  const byKey = new Map<string, Signature>();
  const empty: number[] = [];
  texts.forEach((text, index) => {
    const stems = contentStems(text);
    if (stems.length === 0) {
      empty.push(index);
      return;
    }
    const key = stems.join(' ');
    const signature = byKey.get(key);
    if (signature) signature.members.push(index);
    else byKey.set(key, { key, stems, members: [index] });
  });

  const signatures = [...byKey.values()].sort(
    (left, right) =>
      right.members.length - left.members.length ||
      (left.key < right.key ? -1 : left.key > right.key ? 1 : 0),
  );
  // Document frequency over texts: a stem every other question has says little about which.
  const frequency = new Map<string, number>();
  for (const signature of signatures) {
    for (const stem of signature.stems) {
      frequency.set(stem, (frequency.get(stem) ?? 0) + signature.members.length);
    }
  }
  const total = texts.length;
  const weight = (stem: string) => {
    const idf = Math.log(1 + total / (frequency.get(stem) ?? 1));
    return idf * idf;
  };

  interface Leader {
    signature: Signature;
    weights: Map<string, number>;
    norm: number;
    joined: Signature[];
  }
  const leaders: Leader[] = [];
  const postings = new Map<string, number[]>();

  for (const signature of signatures) {
    const weights = new Map(signature.stems.map((stem) => [stem, weight(stem)]));
    let normSquared = 0;
    for (const value of weights.values()) normSquared += value;
    const norm = Math.sqrt(normSquared);
    const probes = [...signature.stems]
      .sort((left, right) => weights.get(right)! - weights.get(left)! || (left < right ? -1 : 1))
      .slice(0, probeStems);
    const candidates = new Set<number>();
    for (const stem of probes) for (const leader of postings.get(stem) ?? []) candidates.add(leader);
    let best = -1;
    let bestScore = threshold;
    for (const candidate of [...candidates].sort((left, right) => left - right)) {
      const leader = leaders[candidate]!;
      let shared = 0;
      for (const [stem, value] of weights) if (leader.weights.has(stem)) shared += value;
      const score = shared / (norm * leader.norm);
      if (score >= bestScore && (best < 0 || score > bestScore)) {
        best = candidate;
        bestScore = score;
      }
    }
    if (best >= 0) {
      leaders[best]!.joined.push(signature);
      continue;
    }
    const index = leaders.length;
    leaders.push({ signature, weights, norm, joined: [signature] });
    // A leader is found by any of its stems; a signature looks only through its rarest ones.
    for (const stem of signature.stems) {
      const list = postings.get(stem);
      if (list) list.push(index);
      else postings.set(stem, [index]);
    }
  }

  const clusters = leaders.map((leader) => ({
    id: createHash('sha256').update(leader.signature.key).digest('hex').slice(0, 12),
    members: leader.joined.flatMap((signature) => signature.members).sort((left, right) => left - right),
    leader: leader.signature.members[0]!,
    signatures: leader.joined.map((signature) => ({
      first: signature.members[0]!,
      count: signature.members.length,
    })),
  }));
  // Texts without a content word («???», «здравствуйте») say nothing to cluster on: one group.
  if (empty.length > 0) {
    clusters.push({
      id: 'no-content-words',
      members: empty,
      leader: empty[0]!,
      signatures: [{ first: empty[0]!, count: empty.length }],
    });
  }
  return clusters;
}

const DIGITS = /^\d+$/u;

/**
 * A text's distinct stems, numbers left out: an order number is the rarest word a question has,
 * and would outweigh everything it asks.
 */
export function contentStems(text: string): string[] {
  return [...new Set(analyze(text))].filter((stem) => !DIGITS.test(stem)).sort();
}

/** Dice similarity of two texts' stem sets (0…1): how much of their content words they share. */
export function stemSimilarity(left: ReadonlySet<string>, right: ReadonlySet<string>): number {
  if (left.size === 0 && right.size === 0) return 1;
  let shared = 0;
  for (const stem of left) if (right.has(stem)) shared++;
  return (2 * shared) / (left.size + right.size);
}

/**
 * The medoid: the text most similar to all the others (sum of stem similarities), the earliest on
 * a tie. A representative that is one of the inputs, word for word: nothing is invented.
 */
export function medoid(texts: readonly string[]): number {
  const sets = texts.map((text) => new Set(analyze(text)));
  let best = 0;
  let bestSum = -1;
  for (let candidate = 0; candidate < sets.length; candidate++) {
    let sum = 0;
    for (let other = 0; other < sets.length; other++) {
      if (other !== candidate) sum += stemSimilarity(sets[candidate]!, sets[other]!);
    }
    if (sum > bestSum) {
      best = candidate;
      bestSum = sum;
    }
  }
  return best;
}
