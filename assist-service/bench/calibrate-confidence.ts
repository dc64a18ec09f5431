/**
 * Calibrates the offline engine's confidence thresholds on the demo knowledge base: the golden
 * queries (ingest/demo/golden) should get a relevant first suggestion with medium or high
 * confidence; questions the demo cannot answer (handwritten Russian ones and CLINC150's
 * out-of-scope queries) should get `low`. Prints how each threshold would split them.
 *
 *   node bench/calibrate-confidence.ts
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DEMO_KB_DIR, DEMO_KB_PATHS, openKnowledgeBase } from '@naparnik/ingest';
import { createOfflineEngine } from '../src/engines/offline/offline-engine.ts';
import { createScriptProfiles } from '../src/retrieval/script-profiles.ts';

const OFF_TOPIC_RU = [
  'можно оплатить биткоином?',
  'какая завтра погода в Казани',
  'сколько стоит ОСАГО на машину',
  'как оформить ипотеку на квартиру',
  'почему не работает интернет дома',
  'продлите мне подписку на фильмы',
  'когда вылет рейса SU 1234',
  'как подать налоговую декларацию 3-НДФЛ',
  'посоветуйте рецепт борща',
  'у меня сломался холодильник, вызовите мастера',
  'переведите деньги на карту мамы',
  'хочу записаться к стоматологу',
  'какой тариф мобильной связи выгоднее',
  'где купить билеты на концерт',
  'вы продаёте автомобильные шины?',
  'как установить приложение банка на айфон',
  'нужна справка о доходах для визы',
  'сколько калорий в банане',
  'закажите мне такси до аэропорта',
  'можно ли сдать квартиру посуточно',
];

interface Case {
  query: string;
  relevant?: string[];
}

const golden: Case[] = readFileSync(path.join(DEMO_KB_DIR, 'golden', 'golden.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim())
  .map((line) => JSON.parse(line) as Case);
const clinc = JSON.parse(
  readFileSync(
    path.resolve(import.meta.dirname, '../../../shared/datasets/clinc150/data/data_full.json'),
    'utf8',
  ),
) as { oos_val: [string, string][] };
const negatives: Case[] = [
  ...OFF_TOPIC_RU.map((query) => ({ query })),
  ...clinc.oos_val.slice(0, 60).map(([query]) => ({ query })),
];

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'naparnik-calibrate-'));
const kb = await openKnowledgeBase({ dataDir });
await kb.ingest(DEMO_KB_PATHS, { collection: 'demo' });
const engine = createOfflineEngine({
  knowledge: () => kb,
  profiles: createScriptProfiles(),
  clock: { now: () => new Date() },
  config: { conversationBudgetChars: 20_000, logCustomerText: false },
});

async function bestOf(item: Case) {
  const { response } = await engine.assist(
    {
      collection: 'demo',
      conversation: { channel: 'chat', messages: [{ role: 'customer', text: item.query }] },
    },
    { signal: new AbortController().signal, emit: () => {}, suggestionSetId: 'calibration' },
  );
  const first = response.suggestions[0];
  return {
    score: first?.confidence.score ?? response.confidence.score,
    suggested: Boolean(first),
    relevant: Boolean(first && item.relevant?.includes(first.citations[0]?.documentId ?? '')),
  };
}

const positives = await Promise.all(golden.map(bestOf));
const negativeScores = await Promise.all(negatives.map(bestOf));
console.log(`golden ${positives.length}, off-topic ${negativeScores.length}`);
console.log('threshold | golden answered | of them relevant | off-topic answered');
// Only scores at or above the engine's own medium threshold produce suggestions to count.
for (const threshold of [0.35, 0.4, 0.45, 0.5, 0.55, 0.6]) {
  const answered = positives.filter((result) => result.suggested && result.score >= threshold);
  const relevant = answered.filter((result) => result.relevant);
  const wrong = negativeScores.filter((result) => result.suggested && result.score >= threshold);
  console.log(
    `${threshold.toFixed(2).padStart(9)} | ${String(answered.length).padStart(15)} | ${String(relevant.length).padStart(16)} | ${String(wrong.length).padStart(18)}`,
  );
}
const missed = golden.filter((_, index) => !positives[index]!.relevant);
console.log('golden without a relevant first suggestion:', missed.length);
for (const item of missed.slice(0, 15)) console.log('  ', item.query);
const worst = negatives
  .map((item, index) => ({ item, result: negativeScores[index]! }))
  .filter(({ result }) => result.suggested)
  .sort((left, right) => right.result.score - left.result.score)
  .slice(0, 10);
for (const { item, result } of worst) console.log('  off-topic', result.score, item.query);
await kb.close();
await rm(dataDir, { recursive: true, force: true });
