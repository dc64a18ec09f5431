// Runs against the real API only when one is configured (ANTHROPIC_API_KEY, or
// NAPARNIK_OPENAI_BASE_URL + NAPARNIK_OPENAI_MODEL); skipped otherwise, as on CI and here.
import { loadPrompt } from '@naparnik/prompts';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { composeWithModel } from './compose-with-model.ts';
import { createChatModels } from './create-chat-models.ts';
import { suggestNextActionsWithModel, summarizeWithModel } from './summary-with-model.ts';

const models = createChatModels(loadConfig(process.env).models);

describe.skipIf(models === undefined)('the configured model, live', () => {
  it('drafts a cited Russian reply from a source and reports usage', async () => {
    const result = await composeWithModel(
      {
        messages: [{ role: 'customer', text: 'Здравствуйте! Сколько идёт доставка по Москве?' }],
        sources: [
          {
            chunkId: 'faq#1',
            kind: 'faq',
            title: 'Доставка',
            text: 'Доставка по Москве занимает 2–3 рабочих дня.',
          },
        ],
        scriptRules: { address: 'вы' },
        language: 'ru',
        channel: 'chat',
        hurry: false,
        maxLength: 500,
      },
      { model: models!.fast, prompt: loadPrompt('reply@v1'), prices: models!.prices },
    );
    expect(result.text).toMatch(/2[–-]3/u);
    expect(result.citations.map((citation) => citation.chunkId)).toContain('faq#1');
    expect(result.usage.outputTokens).toBeGreaterThan(0);
  }, 60_000);

  it('summarises and suggests next actions through forced tool calls whose input fits the schemas', async () => {
    const messages = [
      { role: 'customer' as const, text: 'Заказ 10452378 пришёл с браком. Верните деньги!' },
      { role: 'operator' as const, text: 'Передадим в отдел качества, ответим до пятницы.' },
    ];
    const task = (id: string) => ({ model: models!.strong, prompt: loadPrompt(id), prices: models!.prices });
    const summary = await summarizeWithModel({ messages, language: 'ru' }, task('summary@v2'));
    expect(summary.summary.issue).toMatch(/брак/iu);
    const actions = await suggestNextActionsWithModel(
      {
        messages,
        routing: {
          departments: [{ id: 'quality', name: 'Отдел качества' }],
          rules: [{ id: 'defect-to-quality', action: 'handover', department: 'quality' }],
        },
        language: 'ru',
      },
      task('next-actions@v2'),
    );
    expect(actions.actions.length + actions.droppedActions).toBeGreaterThan(0);
  }, 120_000);
});
