import type { ConversationMessage } from '../../contract/index.ts';
import { decideLanguage } from '../../pipeline/language.ts';
import { withClarifiedValues } from '../../text/clarifications.ts';
import { extractEntities } from '../../text/entities.ts';
import { renderTemplate } from '../../text/render.ts';
import { detectHurry, detectSentiment } from '../../text/signals.ts';
import { automatedNotice, summarizeConversation } from '../../text/summary.ts';
import type { ConversationSummary, Entities, Sentiment } from '../../text/types.ts';
import type { Renderer } from './suggestions.ts';

/** What the engine knows about a conversation before it searches anything. */
export interface Understanding {
  language: string;
  sentiment: Sentiment;
  hurry: boolean;
  /** From the customer's turns: what fills template slots. */
  entities: Entities;
  summary: ConversationSummary;
  /** An automated notification (receipt, confirmation): close it, do not answer. */
  automated?: { reason: string };
}

/** Only the customer's newest turns decide mood and hurry: an old complaint already handled does not. */
const RECENT_CUSTOMER_TURNS = 2;

function supportedLanguage(language: string): 'ru' | 'en' | undefined {
  return language === 'ru' || language === 'en' ? language : undefined;
}

export function understand(
  messages: readonly ConversationMessage[],
  options: { now: Date; declaredLanguage?: string },
): Understanding {
  const language = decideLanguage({ declared: options.declaredLanguage, messages });
  const customerTurns = messages.filter((message) => message.role === 'customer');
  const recent = customerTurns
    .slice(-RECENT_CUSTOMER_TURNS)
    .map((message) => message.text)
    .join('\n');
  // Blank lines between turns: a name closing one turn («…когда привезут?\nАнна») ends a paragraph.
  const customerText = customerTurns.map((message) => message.text).join('\n\n');
  const entities = withClarifiedValues(
    extractEntities(customerText, {
      now: options.now,
      ...(supportedLanguage(language) ? { language: supportedLanguage(language) } : {}),
    }),
    messages,
  );
  const notice = automatedNotice(messages);
  return {
    language,
    sentiment: detectSentiment(recent),
    hurry: detectHurry(recent).hurry,
    entities,
    summary: summarizeConversation(messages, { now: options.now }),
    ...(notice.automated ? { automated: { reason: notice.reason ?? 'automated notification' } } : {}),
  };
}

/** Template slots filled through the shared renderer (missing ones stay marked as «[номер заказа]»). */
export function renderSlots(language: string): Renderer {
  const labels = supportedLanguage(language);
  return (text, values, slots) => {
    const result = renderTemplate(text, values, {
      ...(slots ? { slots: slots as Record<string, { label?: string; required?: boolean }> } : {}),
      ...(labels ? { language: labels } : {}),
    });
    return { text: result.text, filledSlots: result.filled, missingSlots: result.missing };
  };
}
