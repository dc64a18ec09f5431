import type { ConversationMessage, Entities, Found } from './types.ts';

/**
 * A value the customer sends alone because the operator asked for it: «Назовите номер заказа» →
 * «4471203». Without the question's context the bare number means nothing, so entity extraction,
 * which needs «заказ» beside the number, misses it; here the question supplies the context.
 */
type ClarifiedKind = 'orderIds' | 'trackingNumbers' | 'contractIds';

const ASKED: ReadonlyArray<{ kind: ClarifiedKind; asks: RegExp }> = [
  { kind: 'trackingNumbers', asks: /трек|отслеживани|tracking/iu },
  { kind: 'contractIds', asks: /номер\p{L}*\s+(?:\p{L}+\s+)?договор|contract\s+(?:number|no)/iu },
  {
    kind: 'orderIds',
    asks: /номер\p{L}*\s+(?:\p{L}+\s+)?заказ|заказ\p{L}*\s+№|order\s+(?:number|no|id|#)|your\s+order/iu,
  },
];

/** An identifier alone (letters, digits, dashes; at least 4 digits), give or take «№», «#» and a full stop. */
const BARE_ID = /^\s*(?:(?:номер|заказ|order|№|#)\s*:?\s*)*([\p{L}\d][\p{L}\d-]{3,31})\s*[.!)]?\s*$/iu;

/**
 * The identifier first and the rest after a comma or a dash: «6620194, он должен был прийти
 * позавчера». Digits only, so a word that starts the answer is never read as one.
 */
const LEADING_ID = /^\s*(?:(?:номер|заказ|order|№|#)\s*:?\s*)*(\d[\d-]{3,31})\s*[,;—–]\s*\S/iu;

/** How far back (in messages) the operator's question may be. */
const LOOKBACK = 2;

export function clarifiedValues(
  messages: readonly ConversationMessage[],
): Partial<Record<ClarifiedKind, Found[]>> {
  const found: Partial<Record<ClarifiedKind, Found[]>> = {};
  messages.forEach((message, index) => {
    if (message.role !== 'customer') return;
    const match = BARE_ID.exec(message.text) ?? LEADING_ID.exec(message.text);
    const id = match?.[1];
    if (!match || !id || (id.match(/\d/gu)?.length ?? 0) < 4) return;
    for (let back = index - 1; back >= Math.max(0, index - LOOKBACK); back--) {
      const earlier = messages[back]!;
      if (earlier.role !== 'operator') continue;
      const asked = ASKED.find(({ asks }) => asks.test(earlier.text));
      if (!asked) return;
      const start = message.text.indexOf(id);
      const list = found[asked.kind] ?? [];
      list.push({ value: id.toUpperCase(), raw: id, start, end: start + id.length });
      found[asked.kind] = list;
      return;
    }
  });
  return found;
}

/** Entities with the clarified values added where extraction had none of that value. */
export function withClarifiedValues(entities: Entities, messages: readonly ConversationMessage[]): Entities {
  const clarified = clarifiedValues(messages);
  const result: Entities = { ...entities };
  for (const [kind, values] of Object.entries(clarified) as Array<[ClarifiedKind, Found[]]>) {
    const known = new Set(result[kind].map((item) => item.value));
    // Newest last, as extraction orders them: the reply that answered the question is the latest value.
    result[kind] = [...result[kind], ...values.filter((item) => !known.has(item.value))];
  }
  return result;
}
