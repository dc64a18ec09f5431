// The act stage (next actions) with a model. Neither API can be reached here: the real Anthropic
// SDK and our OpenAI-compatible client talk to msw handlers written from the documented tool-use
// shapes (models/test-support/model-apis.ts), through the resilient wrapper the service builds
// from its configuration. The offline fallback is the real routing and engine rules.
import { loadPrompt } from '@naparnik/prompts';
import { describe, expect, it } from 'vitest';
import { understand } from '../engines/offline/understanding.ts';
import { API_FAULTS, chatModelsAt, FAULT_SETTINGS, useModelApis } from '../models/test-support/model-apis.ts';
import type { ScriptProfile } from '../retrieval/script-profiles.ts';
import { type ActInput, OFFLINE_ACTOR } from './act.ts';
import { createModelActor } from './model-actor.ts';

const { providers } = useModelApis();

const EMAIL = 'anna.petrova@example.ru';
const messages = [
  {
    role: 'customer' as const,
    text: `Заказ 10452378 пришёл с браком, трещина на корпусе. Пишите на ${EMAIL}`,
  },
];

const PROFILE: ScriptProfile = {
  collection: 'demo',
  updatedAt: '2026-01-01T00:00:00.000Z',
  steps: [],
  rules: [],
  routing: [
    {
      type: 'routing-rule',
      id: 'defect-to-quality',
      action: 'handover',
      department: 'quality',
      priority: 10,
      when: { keywords: ['брак', 'трещина'] },
      reason: 'Брак разбирает отдел качества.',
      documentId: 'routing/defect-to-quality',
      chunkId: 'routing/defect-to-quality#0',
    },
  ],
  departments: [{ id: 'quality', name: 'Отдел качества' }],
};

const hit = {
  documentId: 'tpl-defect',
  chunkId: 'tpl-defect#0',
  score: 0.9,
  kind: 'template' as const,
  title: 'Брак',
  titlePath: ['Брак'],
  text: 'Приносим извинения. Пришлите фото брака, мы оформим обмен.',
  source: 'templates.yaml',
  language: 'ru',
  tags: [],
  signals: {},
};

const input: ActInput = {
  profile: PROFILE,
  understanding: understand(messages, { now: new Date('2026-12-06T12:00:00Z') }),
  messages,
  retrieved: {
    query: { text: messages[0]!.text, latest: messages[0]!.text },
    hits: [hit],
    assessed: [{ hit, score: 0.9, questionCoverage: 1, queryCoverage: 1 }],
    answers: [{ hit, score: 0.9, questionCoverage: 1, queryCoverage: 1 }],
    ruledOut: [],
    evidence: [],
    unmatched: 0,
  },
  topicLabels: ['returns'],
  channel: 'chat',
  language: 'ru',
  values: { order_id: '10452378' },
};

const fromModel = {
  actions: [
    {
      type: 'handover',
      department: 'quality',
      reason: 'Брак: по правилу команды — в отдел качества.',
      ruleId: 'defect-to-quality',
      sources: [1],
      precondition: 'сначала: попросить фото брака',
    },
    // A department the team does not have: dropped, never shown.
    { type: 'handover', department: 'legal', reason: 'Возможна претензия.' },
    {
      type: 'ask',
      slot: 'photo',
      ask: 'Пришлите, пожалуйста, фото трещины.',
      reason: 'Для обмена нужно фото.',
    },
  ],
};

describe.each(providers)('the act stage with a model ($provider)', ({ provider, engine, api }) => {
  const act = async (settings: Record<string, string> = {}, given: ActInput = input) => {
    const actor = createModelActor({
      id: engine,
      models: chatModelsAt(provider, settings),
      prompt: loadPrompt('next-actions@v2'),
      offline: OFFLINE_ACTOR,
    });
    const finish = await actor.begin(given, { signal: AbortSignal.timeout(10_000) });
    return finish([]);
  };
  const offline = async (given: ActInput = input) =>
    (await OFFLINE_ACTOR.begin(given, { signal: AbortSignal.timeout(1000) }))([]);

  it('asks with the forced tool, the team’s routing in the instructions, sources delimited, no personal value sent', async () => {
    api.script({ kind: 'reply', deltas: [JSON.stringify(fromModel)], usage: { input: 500, output: 90 } });
    const before = api.requests.length;
    const result = await act();
    expect(result.nextActions).toEqual([
      {
        type: 'handover',
        reason: 'Брак: по правилу команды — в отдел качества.',
        department: { id: 'quality', name: 'Отдел качества' },
        ruleId: 'defect-to-quality',
        precondition: 'сначала: попросить фото брака',
        priority: 2,
      },
      {
        type: 'ask',
        reason: 'Для обмена нужно фото.',
        slot: 'photo',
        ask: 'Пришлите, пожалуйста, фото трещины.',
        priority: 1,
      },
    ]);
    expect(result).toMatchObject({
      engine,
      promptId: 'next-actions@v2',
      usage: { inputTokens: 500, outputTokens: 90 },
    });
    expect(result.degraded).toBeUndefined();

    expect(api.requests.length - before).toBe(1);
    const body = api.requests.at(-1)!.body;
    const choice = body.tool_choice as { name?: string; function?: { name?: string } };
    expect(choice.name ?? choice.function?.name).toBe('suggest_next_actions');
    const sent = JSON.stringify(body);
    expect(sent).toContain('defect-to-quality');
    expect(sent).toContain('Отдел качества');
    expect(sent).toContain('<source n=\\"1\\" kind=\\"template\\"');
    expect(sent).toContain('Пришлите фото брака, мы оформим обмен.');
    expect(sent).toContain('trust=\\"untrusted\\"');
    expect(sent).not.toContain(EMAIL);
    expect(sent).toContain('[EMAIL_1]');
  });

  it.each(API_FAULTS)(
    'gives the routing rules’ actions with the reason when the API fails: $fault',
    async ({ behaviour, reason }) => {
      api.script(behaviour);
      const result = await act(FAULT_SETTINGS);
      const expected = await offline();
      expect(expected.nextActions.map((action) => action.ruleId)).toContain('defect-to-quality');
      expect(result.nextActions).toEqual(expected.nextActions);
      expect(result.engine).toBe('offline');
      expect(result.degraded).toEqual({ reason, engine });
    },
  );

  it('closes an automated notice by the offline rules without asking the model', async () => {
    const notice = [
      {
        role: 'customer' as const,
        text: 'Ваш заказ № 556677 передан в доставку. Это автоматическое сообщение.',
      },
    ];
    const automated: ActInput = {
      ...input,
      messages: notice,
      understanding: understand(notice, { now: new Date('2026-12-06T12:00:00Z') }),
    };
    const before = api.requests.length;
    const result = await act({}, automated);
    expect(api.requests.length).toBe(before);
    expect(result).toEqual(await offline(automated));
    expect(result.nextActions.map((action) => action.type)).toContain('close');
  });
});
