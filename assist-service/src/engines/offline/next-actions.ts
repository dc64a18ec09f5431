import type { Channel, NextAction } from '../../contract/index.ts';
import type { SearchHit } from '../../retrieval/knowledge-base.ts';
import type { ScriptProfile } from '../../retrieval/script-profiles.ts';
import { evaluateRouting } from '../../rules/routing.ts';
import { detectSituations } from '../../text/claims.ts';
import { refersToOwnOrder } from '../../text/order-reference.ts';
import type { Rating } from '../../text/rating.ts';
import type { Understanding } from './understanding.ts';

/** Slots a conversation can answer; the ones without a value are "missing" for routing rules. */
const CONVERSATION_SLOTS = ['order_id', 'contract_id', 'tracking_number', 'customer_name', 'phone', 'email'];
/** Slots that identify an order: missing only in a conversation about one (`refersToOwnOrder`). */
const ORDER_SLOTS: ReadonlySet<string> = new Set(['order_id', 'tracking_number']);

/**
 * Built-in actions outrank the team's rules only where the rule can't know better: a furious
 * customer needs a senior colleague before anyone asks them for an order number (the team's own
 * anger rules sit at 90–100), a bad rating of a review comes after the team that answers reviews.
 */
const PRIORITY = { automatedClose: 1000, strongNegative: 90, badRating: 50, templateAsk: 0 } as const;
/** An operator reads a few actions, not every rule that held: the most important this many. */
const MAX_ACTIONS = 3;
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
  const situations = detectSituations(input.customerText).map((claim) => claim.situation);
  // An order's number is missing only when there is an order: «Сколько идёт доставка в
  // Новосибирск?» asks how things work, and a rule asking for the number would be noise.
  const aboutAnOrder = situations.length > 0 || refersToOwnOrder(input.customerText);
  const missing = new Set(input.missingSlots);
  for (const slot of CONVERSATION_SLOTS) {
    if (input.values[slot] !== undefined) continue;
    if (ORDER_SLOTS.has(slot) && !aboutAnOrder) continue;
    missing.add(slot);
  }

  const actions: NextAction[] = evaluateRouting({
    rules: input.profile.routing,
    departments: input.profile.departments,
    customerText: input.customerText.join('\n'),
    channel: input.channel,
    topics: input.topicLabels,
    sentiment: input.understanding.sentiment,
    missingSlots: [...missing],
    situations,
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
    // Only slots whose author wrote the question to ask the customer: the others (a track number,
    // the date a return was accepted, a review's gist) the operator looks up or writes, and the
    // reply shows them as gaps to fill.
    if (!spec?.ask || spec.required === false) continue;
    if (actions.some((action) => action.type === 'ask' && action.slot === slot)) continue;
    actions.push({
      type: 'ask',
      slot,
      ...(spec.ask ? { ask: spec.ask } : {}),
      reason: texts.ask(spec.label ?? slot),
      priority: PRIORITY.templateAsk,
    });
  }
  return fewThatMatter(actions.sort((left, right) => right.priority - left.priority));
}

/**
 * The actions an operator can act on, most important first: one of each kind — a conversation goes
 * to one team, the strongest rule's (a marketplace review of a broken clasp goes to the marketplace
 * team, which answers it, not also to the warranty team); one question at a time — and at most
 * `MAX_ACTIONS` in all.
 */
function fewThatMatter(sorted: readonly NextAction[]): NextAction[] {
  const seen = new Set<NextAction['type']>();
  return sorted
    .filter((action) => {
      if (seen.has(action.type)) return false;
      seen.add(action.type);
      return true;
    })
    .slice(0, MAX_ACTIONS);
}

function templateSlots(template: SearchHit | undefined): Record<string, SlotSpec> {
  const slots = template?.metadata?.slots;
  return slots && typeof slots === 'object' ? (slots as Record<string, SlotSpec>) : {};
}
