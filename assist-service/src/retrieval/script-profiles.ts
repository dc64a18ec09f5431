import { searchHitOf } from '@naparnik/ingest';
import { findLinks, scanKnowledgeText, storedSafety } from '@naparnik/ingest/safety';
import type { Logger } from 'pino';
import { type Chunk, type KnowledgeBaseLike, requireCollection, type SearchHit } from './knowledge-base.ts';
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
  /**
   * Domains replies may link to: the configured ones (NAPARNIK_LINK_DOMAINS) and those the
   * collection's unflagged FAQs, templates and scripts link to. Absent: links are not judged.
   */
  linkDomains?: readonly string[];
  /**
   * Templates and FAQ answers declared `for` a situation (the warranty claim for `defect-claim`,
   * «Можно ли отказаться до получения?» for `not-yet-received`), in collection order, as hits without
   * a search score: the check stage offers one when the customer's words put the conversation in
   * its situation and the search, going by other words, did not find it. Flagged ones are left out.
   */
  situationAnswers?: readonly SearchHit[];
}

export interface ScriptProfiles {
  /** The profile of a collection, re-read when the collection changed since the last read. */
  get(knowledge: KnowledgeBaseLike, collection: string): Promise<ScriptProfile>;
}

export interface ScriptProfilesOptions {
  logger?: Logger;
  /** NAPARNIK_LINK_DOMAINS: allowed in every collection, besides the knowledge base's own. */
  linkDomains?: readonly string[];
}

export function createScriptProfiles(options: ScriptProfilesOptions = {}): ScriptProfiles {
  const cache = new Map<string, { updatedAt: string; profile: Promise<ScriptProfile> }>();
  return {
    async get(knowledge, collection) {
      const info = await requireCollection(knowledge, collection);
      const cached = cache.get(collection);
      if (cached && cached.updatedAt === info.updatedAt) return cached.profile;
      const profile = readProfile(knowledge, collection, info.updatedAt, options);
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
  options: ScriptProfilesOptions,
): Promise<ScriptProfile> {
  const logger = options.logger;
  // One read: scripts and routing for the profile, FAQs and templates (and scripts) for the domains
  // the team's own answers link to.
  const all = await knowledge.store.listChunks(collection, {
    kinds: ['script', 'routing', 'faq', 'template'],
  });
  const chunks = all.filter((chunk) => chunk.kind === 'script' || chunk.kind === 'routing');
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
  profile.linkDomains = [
    ...new Set([
      ...(options.linkDomains ?? []),
      ...knowledgeLinkDomains(all.filter((chunk) => chunk.kind !== 'routing')),
    ]),
  ];
  profile.situationAnswers = all.filter(writtenForSituations).map((chunk) => searchHitOf(chunk, 0));
  if (skipped > 0) logger?.warn({ collection, skipped }, 'script or routing chunks without valid metadata');
  return profile;
}

function writtenForSituations(chunk: Chunk): boolean {
  const situations = chunk.metadata?.for;
  if (chunk.kind !== 'template' && chunk.kind !== 'faq') return false;
  if (!Array.isArray(situations) || situations.length === 0) return false;
  return !storedSafety(chunk.metadata) && !scanKnowledgeText(chunk.text);
}

/**
 * The domains the collection's answers link to, read once per knowledge-base change: the team's
 * own help pages are allowed without configuring them. A flagged document's links do not count —
 * a poisoned FAQ must not allow its own phishing domain.
 */
function knowledgeLinkDomains(chunks: readonly Chunk[]): string[] {
  const domains = new Set<string>();
  for (const chunk of chunks) {
    const links = findLinks(chunk.text);
    if (links.length === 0) continue;
    if (storedSafety(chunk.metadata) || scanKnowledgeText(chunk.text)) continue;
    for (const link of links) domains.add(link.host);
  }
  return [...domains].sort();
}
