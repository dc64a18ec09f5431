import type { Channel, NextAction } from '../../contract/index.ts';
import type { SearchHit } from '../../retrieval/knowledge-base.ts';
import type { ScriptProfile } from '../../retrieval/script-profiles.ts';
import { evaluateRouting } from '../../rules/routing.ts';
import { detectSituations } from '../../text/claims.ts';
import type { Rating } from '../../text/rating.ts';
import type { Understanding } from './understanding.ts';

/** Slots a conversation can answer; the ones without a value are "missing" for routing rules. */
const CONVERSATION_SLOTS = ['order_id', 'contract_id', 'tracking_number', 'customer_name', 'phone', 'email'];

/** Built-in actions outrank the team's rules only where the rule can't know better. */
const PRIORITY = { automatedClose: 1000, strongNegative: 50, badRating: 50, templateAsk: 0 } as const;
/** A review at or below this many stars is escalated like strong anger. */
const BAD_RATING = 2;

const TEXTS = {
  ru: {
    automated: (reason: string) => `Автоматическое уведомление (${reason}): ответ не нужен.`,
    escalate: (cues: string) =>
      `Клиент очень недоволен${cues ? ` («${cues}»)` : ''}: стоит подключить старшего специалиста.`,
    badRating: (stars: number) => `Низкая оценка (${stars} из 5): стоит подключить старшего специалиста.`,
    ask: (label: string) => `В ответе не хватает данных: ${label}.`,
  },
  en: {
    automated: (reason: string) => `An automated notification (${reason}): no reply needed.`,
    escalate: (cues: string) =>
      `The customer is very upset${cues ? ` ("${cues}")` : ''}: consider a senior specialist.`,
    badRating: (stars: number) => `A low rating (${stars} of 5): consider a senior specialist.`,
    ask: (label: string) => `The reply lacks: ${label}.`,
  },
} as const;

interface SlotSpec {
  label?: string;
  required?: boolean;
  ask?: string;
}

export interface NextActionInput {
  profile: ScriptProfile;
  understanding: Understanding;
  /** Categories and tags of the detected topic. */
  topicLabels: readonly string[];
  channel: Channel;
  language: string;
  values: Readonly<Record<string, string>>;
  /** Slots the best suggestion could not fill. */
  missingSlots: readonly string[];
  /** The template behind the best suggestion: its slots say what to ask for. */
  template: SearchHit | undefined;
  customerText: readonly string[];
  /** The customer's rating (a marketplace review), from the page's card or the text. */
  rating?: Rating | undefined;
}

/**
 * What to do besides replying: the team's routing rules first, then what the engine itself knows
 * (an automated notice to close, a furious customer or a bad rating to escalate, a slot to ask
 * for). Each says why.
 */
export function nextActionsFor(input: NextActionInput): NextAction[] {
  const language = input.language === 'en' ? 'en' : 'ru';
  const texts = TEXTS[language];
  const missing = new Set(input.missingSlots);
  for (const slot of CONVERSATION_SLOTS) if (input.values[slot] === undefined) missing.add(slot);

  const actions: NextAction[] = evaluateRouting({
    rules: input.profile.routing,
    departments: input.profile.departments,
    customerText: input.customerText.join('\n'),
    channel: input.channel,
    topics: input.topicLabels,
    sentiment: input.understanding.sentiment,
    missingSlots: [...missing],
    situations: detectSituations(input.customerText).map((claim) => claim.situation),
    language,
  }).map((action) => ({ ...action }));

  const slots = templateSlots(input.template);
  for (const action of actions) {
    const ask = action.slot ? slots[action.slot]?.ask : undefined;
    if (action.type === 'ask' && ask) action.ask = ask;
  }

  if (input.understanding.automated && !actions.some((action) => action.type === 'close')) {
    actions.push({
      type: 'close',
      reason: texts.automated(input.understanding.automated.reason),
      priority: PRIORITY.automatedClose,
    });
  }
  const sentiment = input.understanding.sentiment;
  if (
    sentiment.strong &&
    sentiment.label === 'negative' &&
    !actions.some((action) => action.type === 'escalate')
  ) {
    actions.push({
      type: 'escalate',
      reason: texts.escalate(sentiment.cues.slice(0, 2).join('», «')),
      priority: PRIORITY.strongNegative,
    });
  }
  if (
    input.rating &&
    input.rating.stars <= BAD_RATING &&
    !actions.some((action) => action.type === 'escalate')
  ) {
    actions.push({
      type: 'escalate',
      reason: texts.badRating(input.rating.stars),
      priority: PRIORITY.badRating,
    });
  }
  for (const slot of input.missingSlots) {
    const spec = slots[slot];
    // Only slots the template's author described: an undeclared placeholder has no question to ask.
    if (!spec || spec.required === false || (!spec.ask && !spec.label)) continue;
    if (actions.some((action) => action.type === 'ask' && action.slot === slot)) continue;
    actions.push({
      type: 'ask',
      slot,
      ...(spec.ask ? { ask: spec.ask } : {}),
      reason: texts.ask(spec.label ?? slot),
      priority: PRIORITY.templateAsk,
    });
  }
  return actions.sort((left, right) => right.priority - left.priority);
}

function templateSlots(template: SearchHit | undefined): Record<string, SlotSpec> {
  const slots = template?.metadata?.slots;
  return slots && typeof slots === 'object' ? (slots as Record<string, SlotSpec>) : {};
}
