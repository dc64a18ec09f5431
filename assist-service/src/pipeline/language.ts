import type { ConversationMessage } from '../contract/index.ts';
import { detectConversationLanguage, detectLanguage } from '../text/signals.ts';

/** The languages the offline engine, the scripts and the rewrite rules speak. */
export type SupportedLanguage = 'ru' | 'en';

/**
 * The one place the service decides which language to answer, rewrite or check in: a language the
 * client declares wins (any two-letter code, so a Kazakh conversation is searched as Kazakh); else
 * the conversation's (the customer's latest turns weigh most) or the text's own; Russian when
 * nothing tells.
 */
export function decideLanguage(input: {
  declared?: string | undefined;
  messages?: readonly ConversationMessage[];
  text?: string;
}): string {
  const declared = input.declared?.toLowerCase().slice(0, 2);
  if (declared && /^[a-z]{2}$/u.test(declared)) return declared;
  if (input.messages && input.messages.length > 0) return detectConversationLanguage(input.messages);
  return detectLanguage(input.text ?? '') === 'en' ? 'en' : 'ru';
}

/** The decided language, narrowed to one the rules speak (Russian for any other). */
export function supportedLanguage(language: string): SupportedLanguage {
  return language === 'en' ? 'en' : 'ru';
}

export function isSupportedLanguage(language: string): language is SupportedLanguage {
  return language === 'ru' || language === 'en';
}
