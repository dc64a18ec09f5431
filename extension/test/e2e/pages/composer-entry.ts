/**
 * The composer module (and the generic adapter's reply-box finder, which picks its target) as a
 * page script: the e2e tests call them in pages with the real editors.
 */
export { findGenericComposer } from '../../../src/adapters/support/composer-finder.ts';
export { resolveEditable } from '../../../src/composer/editors.ts';
export { insertText } from '../../../src/composer/insert.ts';
