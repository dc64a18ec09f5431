/**
 * Compile-time check that the pure functions' shapes (text/types.ts) still fit the HTTP contract:
 * when either side changes, typecheck fails here rather than a response failing at run time.
 */
import type { z } from 'zod';
import type { draftFindingSchema, NextAction, summarySchema } from '../../contract/index.ts';
import type * as Text from '../../text/types.ts';

type Fits<Value extends Target, Target> = Value;

export type Alignment = [
  Fits<Text.DraftFinding, z.infer<typeof draftFindingSchema>>,
  Fits<Text.NextAction, NextAction>,
  Fits<Text.ConversationSummary, z.infer<typeof summarySchema>>,
];
