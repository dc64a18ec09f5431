import type { EvalResult } from './result.ts';
import { runSuite } from './runner.ts';
import type { RetrievalSuite, Suite } from './suite/schema.ts';

/**
 * The retrieval ablation in evals/README.md, reproducible: `pnpm evals ablation rutube-retrieval`.
 * Steps switch the retriever's techniques on one at a time from a plain BM25 over the same
 * fields, then each technique is switched off alone from the shipped defaults.
 */
interface Variant {
  name: string;
  settings?: Record<string, unknown>;
  history: boolean;
  engine?: 'store';
}

const FLAT_FIELDS = {
  k1: 1.2,
  fields: {
    question: { weight: 1, b: 0.75 },
    heading: { weight: 1, b: 0.75 },
    tags: { weight: 1, b: 0.75 },
    body: { weight: 1, b: 0.75 },
  },
};
const PLAIN = {
  cleanQuery: false,
  bm25: FLAT_FIELDS,
  weights: { titleNgrams: 0, bodyNgrams: 0, vector: 0, history: 0, askedKind: 0 },
  typoWeight: 0,
  prefixLength: 0,
  scaling: 'best',
};

function step(changes: Record<string, unknown>, base: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base, ...changes };
  if (changes.weights) merged.weights = { ...(base.weights as object), ...(changes.weights as object) };
  return merged;
}

export function ablationVariants(): Variant[] {
  const steps: Array<[string, Record<string, unknown>]> = [
    ['BM25 over the fields, all weighted alike', {}],
    ['+ field weights (question 3, heading 1.5, tags 1, answer 0.5)', { bm25: undefined }],
    ['+ query cleaning', { cleanQuery: true }],
    ['+ character n-grams of question/heading/tags (0.5)', { weights: { titleNgrams: 0.5 } }],
    ['+ character n-grams of the answer (0.25)', { weights: { bodyNgrams: 0.25 } }],
    ['+ typo correction (0.5)', { typoWeight: 0.5 }],
    ['+ min-max score fusion', { scaling: 'minmax' }],
    ['+ truncated stems, 4 letters (0.5)', { prefixLength: 4 }],
    ['+ the kind of question (0.3 of the score)', { weights: { askedKind: 0.3 } }],
  ];
  const variants: Variant[] = [
    { name: 'store hybrid search (BM25 + hashed vectors, RRF)', history: false, engine: 'store' },
  ];
  let current: Record<string, unknown> = { ...PLAIN };
  for (const [name, changes] of steps) {
    current = step(changes, current);
    const settings = Object.fromEntries(Object.entries(current).filter(([, value]) => value !== undefined));
    variants.push({ name, settings, history: false });
  }
  variants.push({ name: '+ past questions, 5-fold (0.5) = shipped defaults', history: true });
  const leaveOut: Array<[string, Record<string, unknown>]> = [
    ['defaults without query cleaning', { cleanQuery: false }],
    ['defaults with flat field weights', { bm25: FLAT_FIELDS }],
    ['defaults without question n-grams', { weights: { titleNgrams: 0 } }],
    ['defaults without answer n-grams', { weights: { bodyNgrams: 0 } }],
    ['defaults without typo correction', { typoWeight: 0 }],
    ['defaults without truncated stems', { prefixLength: 0 }],
    ['defaults with best-score scaling', { scaling: 'best' }],
    ['defaults with RRF instead of score fusion', { fusion: 'rrf' }],
    ['defaults plus hashed-embedding vectors (0.5)', { weights: { vector: 0.5 } }],
    ['defaults with past questions weighted 1', { weights: { history: 1 } }],
    ['defaults without the kind of question', { weights: { askedKind: 0 } }],
  ];
  for (const [name, settings] of leaveOut) variants.push({ name, settings, history: true });
  return variants;
}

export async function runAblation(
  suite: Suite,
  log: (message: string) => void,
): Promise<Array<{ variant: string; result: EvalResult }>> {
  if (suite.task !== 'retrieval') throw new Error('the ablation runs on retrieval suites');
  const rows: Array<{ variant: string; result: EvalResult }> = [];
  for (const variant of ablationVariants()) {
    const changed: RetrievalSuite = structuredClone(suite);
    if (!variant.history) delete changed.history;
    changed.retrieval = {
      ...changed.retrieval,
      engine: variant.engine ?? 'retriever',
      ...(variant.settings ? { settings: variant.settings } : {}),
    };
    changed.thresholds = {};
    log(`ablation: ${variant.name}`);
    rows.push({ variant: variant.name, result: await runSuite(changed, { engine: 'offline' }) });
  }
  return rows;
}

export function ablationMarkdown(rows: ReadonlyArray<{ variant: string; result: EvalResult }>): string {
  const header =
    '| variant | recall@1 | recall@5 | recall@10 | mrr@10 | ndcg@10 |\n|---|---|---|---|---|---|';
  const lines = rows.map(({ variant, result }) => {
    const metric = (name: string) => (result.metrics[name] ?? Number.NaN).toFixed(4);
    return `| ${variant} | ${metric('recall@1')} | ${metric('recall@5')} | ${metric('recall@10')} | ${metric('mrr@10')} | ${metric('ndcg@10')} |`;
  });
  return [header, ...lines].join('\n');
}
