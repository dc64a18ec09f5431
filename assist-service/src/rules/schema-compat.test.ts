/**
 * The rule functions take what ingest's loader produces: the files are parsed with the real
 * schemas (naparnik-schema.ts) and handed over without conversion. The assignments below are
 * checked by `tsc`; the test checks the behaviour.
 */

import {
  type Department,
  type RoutingRule,
  routingFileSchema,
  type ScriptRules,
  type ScriptStep,
  scriptsFileSchema,
} from '@naparnik/ingest/naparnik-schema';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkDraft } from './draft-check.ts';
import { evaluateRouting } from './routing.ts';
import type { DepartmentLike, RoutingRuleLike, ScriptRulesLike, ScriptStepLike } from './script-types.ts';

const SCRIPT_YAML = `
naparnik: scripts
version: 1
id: script-ru
language: ru
address: vy
steps:
  - id: greeting
    step: greeting
    channels: [chat, messenger, email]
    variants: ['Здравствуйте, {{customer_name}}!']
    detect: [здравствуйте, добрый день, добрый вечер, доброе утро]
    required: true
    position: start
rules:
  banned:
    - phrase: вернём деньги в любом случае
      reason: Возврат возможен только по условиям политики возврата.
    - pattern: 'гарантир\\w* возврат'
      reason: Не обещаем возврат до проверки.
  length: { chat: 600 }
`;

const ROUTING_YAML = `
naparnik: routing
version: 1
id: routing
departments:
  - { id: warranty, name: Гарантийный отдел }
rules:
  - id: route-defect
    action: handover
    department: warranty
    priority: 10
    when: { keywords: [брак, сломалась], sentiment: negative }
    reason: Дефекты изделий рассматривает гарантийный отдел.
`;

describe('compatibility with the ingest schemas', () => {
  it('checks a draft against a parsed scripts file', () => {
    const file = scriptsFileSchema.parse(parse(SCRIPT_YAML));
    const steps: readonly ScriptStepLike[] = file.steps satisfies ScriptStep[];
    const rules: ScriptRulesLike = file.rules satisfies ScriptRules;
    const findings = checkDraft('Ты получишь возврат, гарантируем возврат.', {
      channel: 'chat',
      isFirstReply: true,
      steps,
      rules,
      address: file.address,
      language: 'ru',
      ruleDocumentIds: { scriptId: file.id },
    });
    expect(findings.map((finding) => finding.type)).toEqual([
      'missing-greeting',
      'address-form',
      'address-form',
      'banned-phrase',
    ]);
  });

  it('routes with a parsed routing file', () => {
    const file = routingFileSchema.parse(parse(ROUTING_YAML));
    const rules: readonly RoutingRuleLike[] = file.rules satisfies RoutingRule[];
    const departments: readonly DepartmentLike[] = file.departments satisfies Department[];
    const actions = evaluateRouting({
      rules,
      departments,
      customerText: 'Цепочка сломалась, это брак',
      channel: 'chat',
      topics: [],
      sentiment: { label: 'negative', score: -0.5, strong: false, cues: [] },
      missingSlots: [],
      language: 'ru',
    });
    expect(actions.map((action) => action.department?.name)).toEqual(['Гарантийный отдел']);
  });
});
