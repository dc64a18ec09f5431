import type { ComposeInput } from '../../pipeline/compose.ts';
import { hasReservation } from '../../text/signals.ts';
import type { SuggestionContext } from './suggestions.ts';

/**
 * A review that only praises («Серьги супер, спасибо!», 5★) asks nothing the knowledge base could
 * answer: the script's own steps (the thanks a marketplace reply must carry, the closing) answer
 * it, instead of nothing and a knowledge gap. A question or a complaint in it is searched as usual.
 */
export function praiseOnly(
  messages: ComposeInput['messages'],
  understanding: ComposeInput['understanding'],
  context: SuggestionContext,
): boolean {
  if (context.channel !== 'marketplace' || understanding.sentiment.label !== 'positive') return false;
  // «Красивые серьги, но одна пришла сломанной»: a problem reported is no praise, nor a reservation
  // the words do not call a problem («Серьги хорошие, но застёжка тугая»).
  if (context.voice.problem) return false;
  const latest = messages.findLast((message) => message.role === 'customer');
  return latest !== undefined && !latest.text.includes('?') && !hasReservation(latest.text);
}
