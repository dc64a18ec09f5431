import type { SourceDocument } from '@naparnik/ingest';
import type { ConversationMessage, CustomerCard, PreviewResponse } from '../contract/index.ts';
import { slotValues, withoutDateToCome, withSystemSlots } from '../engines/offline/slots.ts';
import { renderSlots, understand } from '../engines/offline/understanding.ts';
import { ServiceError } from '../errors.ts';
import { emptyEntities } from '../text/entities.ts';

type SlotSpecs = Record<string, { label?: string; required?: boolean; source?: string }>;

/**
 * A template (or an FAQ answer) as the assist service would fill it for a sample conversation:
 * the same understanding, slot values and renderer the pipeline runs (pipeline.ts), so what the
 * manager previews is what an operator will be offered, before the script's greeting and closing.
 */
export function previewDocument(
  document: SourceDocument,
  sample: { messages: ConversationMessage[]; customer?: CustomerCard },
  now: Date,
): PreviewResponse {
  const metadata = document.sections[0]?.metadata ?? {};
  const text =
    typeof metadata.text === 'string'
      ? metadata.text
      : typeof metadata.answer === 'string'
        ? metadata.answer
        : undefined;
  if (text === undefined) {
    throw new ServiceError('invalid-request', `A ${document.kind} has no reply text to preview.`);
  }
  const short = typeof metadata.short === 'string' ? metadata.short : undefined;
  const slots = (metadata.slots ?? {}) as SlotSpecs;
  const understanding = understand(sample.messages, {
    now,
    ...(document.language ? { declaredLanguage: document.language } : {}),
  });
  const { language } = understanding;
  const sources = {
    today: now.toISOString().slice(0, 10),
    ...(sample.customer ? { customer: sample.customer } : {}),
    language,
  };
  const values = withoutDateToCome(
    [text, short ?? ''],
    withSystemSlots(
      slotValues({ ...sources, entities: understanding.entities }),
      slotValues({ ...sources, entities: emptyEntities() }),
      slots,
    ),
  );
  const render = renderSlots(language);
  const full = render(text.trim(), values, slots);
  return {
    text: full.text,
    ...(short ? { short: render(short.trim(), values, slots).text } : {}),
    language,
    filledSlots: full.filledSlots,
    missingSlots: full.missingSlots,
  };
}
