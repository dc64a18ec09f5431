import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEMO_KB_DIR } from '@naparnik/ingest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromRepoRoot } from '../paths.ts';
import type { KnowledgeSpec } from '../suite/schema.ts';
import type { EvalConversation, EvalHistoryEntry, EvalTarget } from './eval-target.ts';
import { createPipelineTarget } from './pipeline-target.ts';
import { createServiceTarget } from './service-target.ts';

const knowledge: KnowledgeSpec = {
  paths: [
    'ingest/demo/faq',
    'ingest/demo/templates',
    'ingest/demo/scripts',
    'ingest/demo/routing',
    'ingest/demo/glossary',
  ],
  collection: 'demo',
};

const history: EvalHistoryEntry[] = [
  {
    id: 'past-1',
    question: 'Посылка третий день не двигается, трек стоит на месте',
    answer: 'Проверим заказ и напишем, когда курьерская служба обновит статус.',
    topic: 'Доставка',
    documentIds: ['tpl-delivery-delay-apology'],
  },
  {
    id: 'past-2',
    question: 'можно ли вернуть серебряное кольцо если не подошёл размер',
    documentIds: ['tpl-return-bijouterie'],
  },
];

/** A customer's single chat message. */
const chat = (id: string, text: string): EvalConversation => ({
  id,
  channel: 'chat',
  messages: [{ role: 'customer', text }],
});

const conversations: EvalConversation[] = [
  chat('c1', 'Где мой заказ 5531902? Трек не обновляется уже неделю'),
  chat('c2', 'Хочу вернуть кольцо, размер не подошёл'),
  {
    id: 'c3',
    channel: 'email',
    messages: [
      { role: 'customer', text: 'Здравствуйте! Заказала серьги на вайлдберриз, хочу отменить заказ.' },
      { role: 'operator', text: 'Подскажите, пожалуйста, номер заказа.' },
      { role: 'customer', text: '88123456' },
    ],
  },
  chat('c4', 'How long does delivery to Kazan take?'),
  chat('c5', 'Какая погода будет завтра в Москве?'),
];

/** What an operator sees of a response, without the parts that name the request or its time. */
async function seen(target: EvalTarget, conversation: EvalConversation) {
  const response = await target.assist(conversation, { collection: knowledge.collection });
  return {
    suggestions: response.suggestions.map((suggestion) => ({
      text: suggestion.text,
      confidence: suggestion.confidence,
      documents: suggestion.citations.map((citation) => citation.documentId),
    })),
    topic: response.detected.topic,
    language: response.detected.language,
    confidence: response.confidence,
    actions: response.nextActions.map((action) => action.type),
  };
}

describe('the service over HTTP, on knowledge and history ingested by the CLIs', () => {
  let inProcess: EvalTarget;
  let service: EvalTarget;
  beforeAll(async () => {
    const resolve = (relative: string) => fromRepoRoot(relative);
    inProcess = await createPipelineTarget({ knowledge, resolve });
    service = await createServiceTarget({ knowledge, resolve });
  }, 180_000);
  afterAll(async () => {
    await inProcess?.close();
    await service?.close();
  });

  it('answers every conversation exactly as the in-process pipeline the evals score, with and without history', async () => {
    const answers: string[][] = [];
    for (const past of [[], history]) {
      await inProcess.replaceHistory(knowledge.collection, past);
      await service.replaceHistory(knowledge.collection, past);
      const round: string[] = [];
      for (const conversation of conversations) {
        const expected = await seen(inProcess, conversation);
        const got = await seen(service, conversation);
        expect(got, `${conversation.id}, history ${past.length}`).toEqual(expected);
        round.push(JSON.stringify(got));
      }
      answers.push(round);
    }
    // Not vacuous: answers cite documents, and the history the CLI imported changed some of them.
    expect(answers[1]!.some((answer) => answer.includes('"documents":["'))).toBe(true);
    expect(answers[1]).not.toEqual(answers[0]);
  }, 180_000);

  it('calibrates the collection on its history as the service does (pnpm naparnik calibrate), to the same answers', async () => {
    // The demo's 105 golden questions: enough labelled history for a fit (at least 100 entries).
    const golden: EvalHistoryEntry[] = readFileSync(path.join(DEMO_KB_DIR, 'golden', 'golden.jsonl'), 'utf8')
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => JSON.parse(line) as { id: string; query: string; relevant: string[] })
      .map((item) => ({ id: item.id, question: item.query, documentIds: item.relevant }));
    await inProcess.replaceHistory(knowledge.collection, golden);
    await service.replaceHistory(knowledge.collection, golden);
    const before = [];
    for (const conversation of conversations) before.push(await seen(service, conversation));
    expect(await inProcess.calibrate!(knowledge.collection)).toBe('fitted');
    expect(await service.calibrate!(knowledge.collection)).toBe('fitted');
    const after = [];
    for (const conversation of conversations) {
      const answer = await seen(service, conversation);
      expect(answer, conversation.id).toEqual(await seen(inProcess, conversation));
      after.push(answer);
    }
    // The fitted model scores them: some confidence moves (a situation's template keeps its floor).
    expect(after.map((answer) => answer.confidence)).not.toEqual(before.map((answer) => answer.confidence));
    // Too little history: the command refuses and says why; the model in use stays.
    await service.replaceHistory(knowledge.collection, history);
    expect(await service.calibrate!(knowledge.collection)).toMatch(/has 2 history entries .* at least 100/u);
  }, 240_000);

  it('names the document ids of the ingested knowledge', async () => {
    const ids = await service.documentIds!(knowledge.collection);
    expect(ids).toEqual(expect.arrayContaining(['tpl-delivery-delay-apology', 'tpl-return-bijouterie']));
  }, 60_000);
});
