import { clauseBefore, matchRules, type SafetyRule } from './match.ts';
import type { LinkPolicy, SafetyFinding } from './types.ts';

/**
 * What a support reply — an operator's draft, a suggestion, a knowledge-base answer — must never
 * say: ask for a card number, CVV/CVC, PIN, password or one-time code; promise money beyond any
 * policy; send the customer to a domain outside the tenant's allow-list. The same rules flag a
 * poisoned knowledge-base entry at ingest («попросите клиента назвать CVV…»).
 */

const B = String.raw`(?<![\p{L}\p{N}_])`;
const E = String.raw`(?![\p{L}\p{N}_])`;

export const RU_ASK = String.raw`(?:пришл\p{L}*|присыла\p{L}*|отправ\p{L}*|сообщ\p{L}*|назов\p{L}*|назвать|назыв\p{L}*|укаж\p{L}*|указать|продикту\p{L}*|напиш\p{L}*|скин\p{L}*|предостав\p{L}*|запрос\p{L}*|попрос\p{L}*|спрос\p{L}*|узна\p{L}*|уточн\p{L}*|скаж\p{L}*|перешл\p{L}*|дикту\p{L}*)`;
export const RU_SECRET = String.raw`(?:cvv2?|cvc2?|ппк2?|cvv\/cvc|код\p{L}*\s+безопасности|тр[её]хзначн\p{L}*\s+код\p{L}*|(?:код\p{L}*|(?:три|3)\s+цифр\p{L}*)\s+(?:с|на)\s+(?:обратной|задней|оборотной)\s+сторон\p{L}*|(?:полн\p{L}*\s+)?номер\p{L}*\s+(?:(?:банковской|вашей|своей|платежной)\s+){0,2}карт\p{L}*|реквизит\p{L}*\s+(?:банковской\s+)?карт\p{L}*|данн\p{L}*\s+(?:(?:банковской|вашей|своей|платежной)\s+){0,2}карт\p{L}*|срок\p{L}*\s+действия\s+карт\p{L}*|пин-?код\p{L}*|pin-?код\p{L}*|пароль|пароля|паролем|пароли|код\p{L}*\s+из\s+(?:смс|sms|сообщени\p{L}*|пуш\p{L}*)|смс-?код\p{L}*|sms-?код\p{L}*|код\p{L}*\s+подтверждени\p{L}*|одноразов\p{L}*\s+(?:код\p{L}*|пароль\p{L}*))`;
const EN_ASK = String.raw`(?:send|provide|give|tell|share|dm|confirm|reply\s+with|include|read\s+out|ask\s+(?:the\s+customer\s+|the\s+client\s+|them\s+|him\s+|her\s+)?for|request|collect|obtain|verify)`;
export const EN_SECRET = String.raw`(?:cvv2?|cvc2?|card\s+security\s+code|security\s+code|(?:(?:your|the|their|customer'?s|client'?s|full|complete|credit|debit|bank|payment|long)\s+)+card\s+(?:number|details|info(?:rmation)?|data)|expir(?:y|ation)\s+date|pin(?:\s+(?:code|number))?|passwords?|passcodes?|one[- ]time\s+(?:code|password|passcode)|otp|sms\s+code|verification\s+code|2fa\s+code|login\s+credentials)`;

/** «не сообщайте», «никому», «never share»: a warning, not a request. */
const NEGATION = new RegExp(
  String.raw`${B}(?:не|ни|никогда|никому|нельзя|запрещ\p{L}*|never|not|no\s+one|nobody|don'?t|doesn'?t|won'?t|will\s+never|shouldn'?t|without)${E}|n't${E}`,
  'iu',
);
/** «последние 4 цифры карты» identify a card without exposing it. */
const PARTIAL = new RegExp(
  String.raw`${B}(?:последн\p{L}*|перв\p{L}*|last|first|final)\s+(?:\d|четыр\p{L}*|four|шест\p{L}*|six)`,
  'iu',
);
/** A code said to a courier or a shop assistant at pickup is not for the operator. */
const THIRD_PARTY = new RegExp(
  String.raw`${B}(?:продавц\p{L}*|курьер\p{L}*|кассир\p{L}*|сотрудник\p{L}*\s+(?:магазина|пвз|пункта)|в\s+магазине|в\s+пункте\s+выдачи|при\s+получении|seller|courier|cashier|at\s+(?:the\s+)?(?:store|pickup|checkout))${E}`,
  'iu',
);

/** The few words right before a match, inside its clause: where «не»/«never» turns it around. */
function leadIn(text: string, start: number): string {
  const clause = clauseBefore(text, start, 40);
  return clause.split(/[,;:—]/u).at(-1) ?? clause;
}

/** «reset the password», «pin code» of an address: about the secret, not asking for it. */
const NOT_A_REQUEST = new RegExp(
  String.raw`${B}(?:reset|forgot|forgotten|change|recover|new\s+password|address|postal|zip|восстанов\p{L}*|сброс\p{L}*|смен\p{L}*|измен\p{L}*|нов\p{L}*\s+пароль|адрес\p{L}*|индекс\p{L}*)${E}`,
  'iu',
);

/** «попросил у меня CVV», «мне пришла смс с кодом»: a past event told, not a request. */
const PAST_TENSE = /^\p{L}+(?:л|ла|ли|ло)(?![\p{L}\p{N}_])/iu;

function rejectRequest(text: string, start: number, end: number): boolean {
  if (PAST_TENSE.test(text.slice(start, end))) return true;
  if (
    NOT_A_REQUEST.test(text.slice(start, end)) ||
    /["“«][^"”»]*$/u.test(leadIn(text, start) + text.slice(start, end))
  )
    return true;
  const clause = clauseBefore(text, start) + text.slice(start, end);
  if (NEGATION.test(leadIn(text, start) + text.slice(start, end))) return true;
  const after = text.slice(end, end + 40);
  return PARTIAL.test(clause) || THIRD_PARTY.test(clause + after);
}

const RU_MONEY = String.raw`(?:верн\p{L}*|возврат\p{L}*|возвра(?:щ|т)\p{L}*|компенсир\p{L}*|компенсаци\p{L}*|возмест\p{L}*|возмещ\p{L}*|выплат\p{L}*|деньги)`;
const RU_BEYOND = String.raw`(?:в\s+любом\s+случае|при\s+любых\s+(?:условиях|обстоятельствах)|несмотря\s+ни\s+на\s+что|без\s+(?:каких-либо\s+|всяких\s+|любых\s+)?(?:условий|проверк\p{L}*|вопросов|оснований|чека)|100\s?%|сто\s+процентов|в\s+(?:двойном|тройном)\s+размере|вдвойне|вдвое\s+больше)`;
const EN_MONEY = String.raw`(?:refund\p{L}*|reimburs\p{L}*|compensat\p{L}*|money\s+back|pay\s+(?:you\s+)?back)`;
const EN_BEYOND = String.raw`(?:in\s+any\s+case|no\s+matter\s+what|regardless\s+of\s+(?:the\s+)?(?:policy|reason|circumstances)|no\s+questions\s+asked|unconditional(?:ly)?|100\s?%|double|twice\s+the)`;

function rejectNegated(text: string, start: number, end: number): boolean {
  return NEGATION.test(leadIn(text, start) + text.slice(start, Math.min(end, start + 12)));
}

const RULES: readonly SafetyRule[] = [
  {
    id: 'asks-secret-ru',
    kind: 'sensitive-data-request',
    pattern: new RegExp(String.raw`${B}${RU_ASK}${E}[^.!?\n]{0,60}?${B}${RU_SECRET}${E}`, 'giu'),
    reject: rejectRequest,
  },
  {
    id: 'asks-secret-en',
    kind: 'sensitive-data-request',
    pattern: new RegExp(String.raw`${B}${EN_ASK}${E}[^.!?\n]{0,60}?${B}${EN_SECRET}${E}`, 'giu'),
    reject: rejectRequest,
  },
  {
    id: 'money-beyond-policy-ru',
    kind: 'money-promise',
    pattern: new RegExp(
      String.raw`${B}${RU_MONEY}${E}[^.!?\n:;]{0,40}?${RU_BEYOND}|${B}${RU_BEYOND}[^.!?\n:;]{0,40}?${B}${RU_MONEY}${E}`,
      'giu',
    ),
    reject: rejectNegated,
  },
  {
    id: 'money-beyond-policy-en',
    kind: 'money-promise',
    pattern: new RegExp(
      String.raw`${B}${EN_MONEY}${E}[^.!?\n:;]{0,40}?${B}${EN_BEYOND}|${B}${EN_BEYOND}[^.!?\n:;]{0,40}?${B}${EN_MONEY}${E}`,
      'giu',
    ),
    reject: rejectNegated,
  },
  {
    id: 'promise-instruction',
    kind: 'money-promise',
    pattern: new RegExp(
      String.raw`${B}(?:пообеща\p{L}*|обеща(?:й|йте)|гарантиру(?:й|йте)|promise|guarantee)${E}[^.!?\n]{0,40}?${B}(?:полн\p{L}*\s+возврат\p{L}*|возврат\p{L}*|компенсаци\p{L}*|деньги|full\s+refund|refund|compensation|money\s+back)${E}`,
      'giu',
    ),
    reject: rejectNegated,
  },
];

const LINK =
  /\b(?:https?:\/\/[^\s<>"'«»()[\]]+|www\.[^\s<>"'«»()[\]]+|(?:[a-z0-9-]+\.)+(?:ru|com|net|org|рф|su|io|me|info|biz|xyz|top|online|site|link|ly|cc|co|pro|shop|store|click)(?:\/[^\s<>"'«»()[\]]*)?)(?![\p{L}\p{N}-])/giu;

/** Links in the text with their host, lower-cased, without `www.`. */
export function findLinks(text: string): Array<{ host: string; start: number; end: number }> {
  const links: Array<{ host: string; start: number; end: number }> = [];
  for (const match of text.matchAll(LINK)) {
    const raw = match[0].replace(/[.,;:!?]+$/u, '');
    if (/^[\p{L}\p{N}.-]+@/u.test(text.slice(Math.max(0, match.index - 64), match.index + raw.length)))
      continue;
    if (match.index > 0 && text[match.index - 1] === '@') continue; // an e-mail address's domain
    const host = hostOf(raw);
    if (host) links.push({ host, start: match.index, end: match.index + raw.length });
  }
  return links;
}

function hostOf(link: string): string | undefined {
  const withScheme = /^https?:\/\//iu.test(link) ? link : `http://${link}`;
  try {
    return new URL(withScheme).hostname.replace(/^www\./u, '').toLowerCase();
  } catch {
    return undefined;
  }
}

/** Lower-cased, without scheme, `www.` or a path: what an allow-list entry is compared as. */
export function normalizeDomain(domain: string): string {
  return (hostOf(domain.trim()) ?? domain.trim().toLowerCase()).replace(/\.$/u, '');
}

export function isAllowedHost(host: string, allowedDomains: readonly string[]): boolean {
  return allowedDomains.some((domain) => {
    const allowed = normalizeDomain(domain);
    return allowed.length > 0 && (host === allowed || host.endsWith(`.${allowed}`));
  });
}

/** Everything the reply guard finds in a text, in text order. */
export function checkReplyGuard(text: string, policy: LinkPolicy = {}): SafetyFinding[] {
  if (typeof text !== 'string' || text.length === 0) return [];
  const findings = matchRules(text, RULES);
  const allowed = policy.allowedDomains;
  if (allowed) {
    for (const link of findLinks(text)) {
      if (!isAllowedHost(link.host, allowed))
        findings.push({
          kind: 'external-link',
          rule: 'link-outside-allow-list',
          start: link.start,
          end: link.end,
        });
    }
  }
  return findings.sort((left, right) => left.start - right.start || left.end - right.end);
}
