/**
 * The v1 HTTP/SSE contract of the assist service. Imported by the extension and the evals as
 * `@naparnik/assist-service/contract`: everything under `contract/` imports zod and nothing else.
 */

export * from './analytics.ts';
export * from './assist.ts';
export * from './auth.ts';
export * from './calibration.ts';
export * from './check-draft.ts';
export * from './console.ts';
export * from './conversation.ts';
export * from './errors.ts';
export * from './feedback.ts';
export * from './knowledge-edits.ts';
export * from './knowledge-gaps.ts';
export * from './openapi.ts';
export * from './privacy.ts';
export * from './recipes.ts';
export * from './rewrite.ts';
export * from './search.ts';
export * from './service.ts';
export * from './stream.ts';
export * from './usage.ts';
