export { isCardNumber, isInnValid, isLuhnValid, isSnilsValid } from './checksums.ts';
export {
  PERSONAL_DATA_KINDS,
  type PersonalDataKind,
  PLACEHOLDER_IN_TEXT,
  personalDataKindSchema,
  type RedactionEntry,
  type RedactionMap,
  redactionMapSchema,
  STRUCTURED_KINDS,
} from './kinds.ts';
export { maskForStorage } from './mask-for-storage.ts';
export {
  type FoundPersonalData,
  maskPersonalData,
  type Redaction,
  RedactionError,
  type RedactOptions,
  redactPersonalData,
  restorePersonalData,
} from './redact.ts';
