/**
 * Routing rules (FORMATS.md, `naparnik: routing`) applied to one conversation: which rules hold,
 * strongest first, one action per (type, department or slot).
 */
import { findPhrase, normalizeWord, phraseStems, type WordToken, wordTokens } from '../text/tokens.ts';
import type { Channel, NextAction, Sentiment } from '../text/types.ts';
import { patternSpans } from './pattern.ts';
import type { DepartmentLike, RoutingConditionLike, RoutingRuleLike } from './script-types.ts';

export interface RoutingInput {
  rules: readonly RoutingRuleLike[];
  departments: readonly DepartmentLike[];
  customerText: string;
  channel: Channel;
  /** KB categories and tags of the detected topic. */
  topics: readonly string[];
  sentiment: Sentiment;
  /** Slots the conversation has no value for yet. */
  missingSlots: readonly string[];
  /** Situations the customer's words put the conversation in (`text/claims.ts`); none when absent. */
  situations?: readonly string[];
  language: 'ru' | 'en';
}

const DEFAULT_REASONS: Readonly<Record<'ru' | 'en', Readonly<Record<NextAction['type'], string>>>> = {
  ru: {
    handover: 'Передать обращение в профильный отдел.',
    ask: 'Уточнить у клиента недостающие данные.',
    close: 'Закрыть обращение без ответа.',
    escalate: 'Передать обращение старшему специалисту.',
  },
  en: {
    handover: 'Hand the conversation over to the responsible team.',
    ask: 'Ask the customer for the missing details.',
    close: 'Close the conversation without a reply.',
    escalate: 'Escalate the conversation to a senior specialist.',
  },
};

function normalizeLabel(label: string): string {
  return normalizeWord(label).replace(/\s+/gu, ' ').trim();
}

function topicMatches(wanted: string, topics: readonly string[]): boolean {
  const label = normalizeLabel(wanted);
  const stems = phraseStems(wanted).join(' ');
  return topics.some(
    (topic) =>
      normalizeLabel(topic) === label || (stems.length > 0 && phraseStems(topic).join(' ') === stems),
  );
}

function anyOf<T>(list: readonly T[] | undefined, test: (item: T) => boolean): boolean {
  return list === undefined || list.length === 0 || list.some(test);
}

function holds(
  condition: RoutingConditionLike | undefined,
  input: RoutingInput,
  tokens: () => readonly WordToken[],
): boolean {
  if (!condition) return true;
  const { topics, keywords, patterns, channels, sentiment, missing, situations } = condition;
  if (!anyOf(channels, (channel) => channel === input.channel)) return false;
  if (sentiment !== undefined) {
    const wanted: readonly string[] = typeof sentiment === 'string' ? [sentiment] : sentiment;
    if (wanted.length > 0 && !wanted.includes(input.sentiment.label)) return false;
  }
  if (!anyOf(missing, (slot) => input.missingSlots.includes(slot))) return false;
  if (!anyOf(situations, (situation) => (input.situations ?? []).includes(situation))) return false;
  if (!anyOf(topics, (topic) => topicMatches(topic, input.topics))) return false;
  if (!anyOf(keywords, (keyword) => findPhrase(tokens(), keyword, 1).length > 0)) return false;
  if (!anyOf(patterns, (pattern) => patternSpans(pattern, input.customerText).length > 0)) return false;
  return true;
}

function reasonFor(rule: RoutingRuleLike, language: 'ru' | 'en'): string {
  return rule.reasons?.[language] ?? rule.reason ?? DEFAULT_REASONS[language][rule.action];
}

/** The actions the rules suggest, highest priority first (ties keep the file's order). */
export function evaluateRouting(input: RoutingInput): NextAction[] {
  const text = typeof input.customerText === 'string' ? input.customerText : '';
  let tokens: WordToken[] | undefined;
  const lazyTokens = () => {
    tokens ??= wordTokens(text);
    return tokens;
  };
  const safeInput = { ...input, customerText: text };
  const departments = new Map(input.departments.map((department) => [department.id, department]));

  const matched = input.rules
    .map((rule, order) => ({
      rule,
      order,
      priority: Number.isFinite(rule.priority) ? Number(rule.priority) : 0,
    }))
    .filter(({ rule }) => holds(rule.when, safeInput, lazyTokens))
    .sort((a, b) => b.priority - a.priority || a.order - b.order);

  const seen = new Set<string>();
  const actions: NextAction[] = [];
  for (const { rule, priority } of matched) {
    const key = `${rule.action}:${rule.department ?? rule.slot ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const action: NextAction = {
      type: rule.action,
      reason: reasonFor(rule, input.language),
      ruleId: rule.id,
      priority,
    };
    if (rule.department !== undefined) {
      const department = departments.get(rule.department);
      action.department = { id: rule.department, name: department?.name ?? rule.department };
    }
    if (rule.slot !== undefined) action.slot = rule.slot;
    actions.push(action);
  }
  return actions;
}
