import { describe, expect, it } from 'vitest';
import type { HitAssessment } from '../engines/offline/confidence.ts';
import type { SearchHit } from '../retrieval/knowledge-base.ts';
import { answerSignals, offeredAnswerSignals } from './calibration.ts';

function answer(documentId: string, score: number): HitAssessment {
  const hit: SearchHit = {
    documentId,
    chunkId: `${documentId}#0`,
    score,
    kind: 'faq',
    title: documentId,
    titlePath: [],
    text: '',
    source: 'faq.csv',
    language: 'ru',
    tags: [],
    signals: { vectorSimilarity: 0.5 },
  };
  return { hit, score: 0.5, questionCoverage: 0.5, queryCoverage: 0.5 };
}

describe('offeredAnswerSignals', () => {
  const sitePrice = answer('faq-price-site-store', 1.0);
  const marketplacePrice = answer('faq-marketplace-price', 0.9);
  const delivery = answer('faq-delivery-cost', 0.3);

  it('reads the lead over the next answer on offer, not over one the conversation rules out', () => {
    const [signals] = offeredAnswerSignals({
      answers: [marketplacePrice, delivery],
      ruledOut: [sitePrice],
      assessed: [sitePrice, marketplacePrice, delivery],
      unmatched: 0,
    });
    expect(signals?.lead).toBeCloseTo(1 - 0.3 / 0.9, 6);
    // Its rank is still the search's: an answer put below another is less likely right either way.
    expect(signals?.rank).toBe(1);
  });

  it('is answerSignals itself when nothing is ruled out', () => {
    const answers = [sitePrice, marketplacePrice, delivery];
    const offered = offeredAnswerSignals({ answers, ruledOut: [], assessed: answers, unmatched: 0.2 });
    expect(offered).toEqual(answers.map((_, index) => answerSignals(answers, index, 0.2)));
  });
});
