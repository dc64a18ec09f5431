import type { Candidate } from './candidate.ts';

const EMAIL =
  /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}][\p{L}\p{N}._%+-]*@[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?)*\.\p{L}{2,24}(?![\p{L}\p{N}])/gu;

/**
 * Mailboxes of a function, not a person (RFC 2142 and their common kin): a company's
 * help@rutube.ru in an operator's answer is not personal data, and the model needs it as it is.
 */
const ROLE_MAILBOXES = new Set([
  'help',
  'support',
  'info',
  'partners',
  'partner',
  'noreply',
  'no-reply',
  'admin',
  'sales',
  'press',
  'pr',
  'hr',
  'office',
  'contact',
  'contacts',
  'feedback',
  'abuse',
  'postmaster',
  'webmaster',
  'billing',
  'service',
  'team',
  'hello',
  'privacy',
  'legal',
  'security',
  'care',
  'customercare',
  'customerservice',
]);

export function isRoleMailbox(address: string): boolean {
  return ROLE_MAILBOXES.has(address.slice(0, address.indexOf('@')).toLowerCase());
}

export function findEmails(text: string): Candidate[] {
  const found: Candidate[] = [];
  for (const match of text.matchAll(EMAIL)) {
    if (isRoleMailbox(match[0])) continue;
    found.push({
      kind: 'email',
      start: match.index,
      end: match.index + match[0].length,
      priority: 200,
      key: match[0].toLowerCase(),
    });
  }
  return found;
}
