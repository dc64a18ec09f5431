import type { HitAssessment } from './confidence.ts';

export interface TopicVote {
  label: string;
  /** The winner's share of all votes, 0..1. */
  score: number;
  /** Every category and tag of the hits that voted for the winner: what routing rules match on. */
  labels: string[];
}

const CATEGORY_WEIGHT = 1;
const TAG_WEIGHT = 0.5;
const VOTERS = 5;

/**
 * The conversation's topic as a vote of the best entries' categories (and, weaker, tags), each
 * vote weighted by how well the entry fits. The knowledge base's own labels are the vocabulary,
 * so routing rules written against them match.
 */
export function voteTopic(assessments: readonly HitAssessment[], minimumScore: number): TopicVote | null {
  const voters = assessments.filter((assessment) => assessment.score >= minimumScore).slice(0, VOTERS);
  const votes = new Map<string, { label: string; weight: number }>();
  let total = 0;
  const add = (label: string, weight: number) => {
    const key = label.trim().toLowerCase();
    if (!key) return;
    const entry = votes.get(key) ?? { label: label.trim(), weight: 0 };
    entry.weight += weight;
    votes.set(key, entry);
    total += weight;
  };
  for (const { hit, score } of voters) {
    if (hit.category) add(hit.category, CATEGORY_WEIGHT * score);
    for (const tag of hit.tags) {
      if (hit.category && tag.toLowerCase() === hit.category.toLowerCase()) continue;
      add(tag, TAG_WEIGHT * score);
    }
  }
  let best: { label: string; weight: number } | undefined;
  for (const entry of votes.values()) if (!best || entry.weight > best.weight) best = entry;
  if (!best || total === 0) return null;
  const winner = best.label.toLowerCase();
  const labels = new Set<string>([best.label]);
  for (const { hit } of voters) {
    const hitLabels = [hit.category ?? '', ...hit.tags].filter(Boolean);
    if (hitLabels.some((label) => label.toLowerCase() === winner))
      for (const label of hitLabels) labels.add(label);
  }
  return { label: best.label, score: Math.round((best.weight / total) * 1000) / 1000, labels: [...labels] };
}
