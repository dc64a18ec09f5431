/** The one door to ingest's text analysis, so the index and the conversation functions stem alike. */
export { analyze, detectLanguage, isStopword, normalizeText, stem, tokenize } from '@naparnik/ingest/text';
