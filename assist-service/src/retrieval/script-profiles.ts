import type { Logger } from 'pino';
import { type KnowledgeBaseLike, requireCollection } from './knowledge-base.ts';
import {
  type Department,
  naparnikMetadataSchema,
  type RoutingRuleMetadata,
  type ScriptRulesMetadata,
  type ScriptStepMetadata,
} from './naparnik-metadata.ts';

interface Origin {
  documentId: string;
  chunkId: string;
}
export type ScriptStepEntry = ScriptStepMetadata & Origin;
export type ScriptRulesEntry = ScriptRulesMetadata & Origin;
export type RoutingRuleEntry = RoutingRuleMetadata & Origin;

/** A collection's voice and routing: its script steps, script rules, routing rules, departments. */
export interface ScriptProfile {
  collection: string;
  /** The collection's `updatedAt` this profile was read at. */
  updatedAt: string;
  steps: ScriptStepEntry[];
  rules: ScriptRulesEntry[];
  routing: RoutingRuleEntry[];
  departments: Department[];
}

export interface ScriptProfiles {
  /** The profile of a collection, re-read when the collection changed since the last read. */
  get(knowledge: KnowledgeBaseLike, collection: string): Promise<ScriptProfile>;
}

export function createScriptProfiles(options: { logger?: Logger } = {}): ScriptProfiles {
  const cache = new Map<string, { updatedAt: string; profile: Promise<ScriptProfile> }>();
  return {
    async get(knowledge, collection) {
      const info = await requireCollection(knowledge, collection);
      const cached = cache.get(collection);
      if (cached && cached.updatedAt === info.updatedAt) return cached.profile;
      const profile = readProfile(knowledge, collection, info.updatedAt, options.logger);
      cache.set(collection, { updatedAt: info.updatedAt, profile });
      profile.catch(() => cache.delete(collection));
      return profile;
    },
  };
}

async function readProfile(
  knowledge: KnowledgeBaseLike,
  collection: string,
  updatedAt: string,
  logger: Logger | undefined,
): Promise<ScriptProfile> {
  const chunks = await knowledge.store.listChunks(collection, { kinds: ['script', 'routing'] });
  const profile: ScriptProfile = {
    collection,
    updatedAt,
    steps: [],
    rules: [],
    routing: [],
    departments: [],
  };
  let skipped = 0;
  for (const chunk of chunks) {
    const parsed = naparnikMetadataSchema.safeParse(chunk.metadata);
    if (!parsed.success) {
      skipped++;
      continue;
    }
    const metadata = parsed.data;
    const origin = { documentId: chunk.documentId, chunkId: chunk.chunkId };
    switch (metadata.type) {
      case 'script-step':
        profile.steps.push({ ...metadata, ...origin });
        break;
      case 'script-rules':
        profile.rules.push({ ...metadata, ...origin });
        break;
      case 'routing-rule':
        profile.routing.push({ ...metadata, ...origin });
        break;
      case 'departments':
        profile.departments.push(...metadata.departments);
        break;
      default:
        break;
    }
  }
  if (skipped > 0) logger?.warn({ collection, skipped }, 'script or routing chunks without valid metadata');
  return profile;
}
