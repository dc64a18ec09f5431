export { scanCustomerMessage } from './customer-message.ts';
export { detectInjection, INJECTION_RULE_IDS } from './injection.ts';
export {
  type KnowledgeSafety,
  scanKnowledgeText,
  storedSafety,
  summarize,
} from './knowledge-safety.ts';
export { checkReplyGuard, findLinks, isAllowedHost, normalizeDomain } from './reply-guard.ts';
export { scanDocument } from './scan-document.ts';
export { type LinkPolicy, SAFETY_FLAG_KINDS, type SafetyFinding, type SafetyFlagKind } from './types.ts';
