/**
 * The draft check's guard rules (issue 13): what no reply may say, whatever the team's script
 * says — a request for card data, CVV, a password or a one-time code; money beyond policy; a link
 * outside the tenant's allowed domains. The patterns are @naparnik/ingest/safety's, the one
 * detector that also flags poisoned knowledge at ingest; this file turns its findings into draft
 * findings with the operator's wording.
 */
import { checkReplyGuard, type SafetyFinding } from '@naparnik/ingest/safety';
import type { DraftFinding, DraftFindingType } from '../text/types.ts';

/** The finding types the guard adds; a suggestion carrying one is mended or dropped. */
export const GUARD_FINDING_TYPES: ReadonlySet<DraftFindingType> = new Set([
  'sensitive-data-request',
  'money-promise',
  'external-link',
]);

const MESSAGES: Readonly<Record<SafetyFinding['kind'], { ru: string; en: string }>> = {
  'sensitive-data-request': {
    ru: 'Нельзя просить у клиента данные карты, CVV, пароль или код из SMS: «{quote}».',
    en: 'Never ask the customer for card data, the CVV, a password or a one-time code: "{quote}".',
  },
  'money-promise': {
    ru: 'Обещание денег сверх политики: «{quote}». Обещайте только то, что предусмотрено правилами возврата.',
    en: 'A money promise beyond policy: "{quote}". Promise only what the refund policy provides.',
  },
  'external-link': {
    ru: 'Ссылка на домен вне разрешённого списка: «{quote}».',
    en: 'A link to a domain outside the allowed list: "{quote}".',
  },
  'prompt-injection': {
    ru: 'Текст похож на команду для ассистента, а не ответ клиенту: «{quote}».',
    en: 'This reads like a command to the assistant, not a reply: "{quote}".',
  },
};

export function checkGuard(
  text: string,
  context: { language: 'ru' | 'en'; allowedDomains?: readonly string[] | undefined },
): DraftFinding[] {
  return checkReplyGuard(text, { allowedDomains: context.allowedDomains }).map((finding) => {
    const quote = text.slice(finding.start, finding.end);
    const message = MESSAGES[finding.kind][context.language].replace('{quote}', quote);
    return {
      type: finding.kind as DraftFindingType,
      severity: 'error',
      message,
      span: { start: finding.start, end: finding.end },
      ruleId: `guard/${finding.rule}`,
    };
  });
}
