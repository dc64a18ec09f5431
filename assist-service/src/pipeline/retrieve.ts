import type { Channel, ConversationMessage } from '../contract/index.ts';
import { assessHit, type HitAssessment } from '../engines/offline/confidence.ts';
import { buildRetrievalQuery, type RetrievalQuery } from '../engines/offline/retrieval-query.ts';
import { fitsChannel, fitsCustomer } from '../engines/offline/suggestions.ts';
import type { KnowledgeBaseLike, SearchHit } from '../retrieval/knowledge-base.ts';
import { stemSet } from '../retrieval/stems.ts';
import { withoutPastTime } from '../text/circumstances.ts';
import { detectSituations, mentionsReturn } from '../text/claims.ts';

/** What the retrieve stage hands on: the hits in the knowledge base's own order, each assessed. */
export interface Retrieved {
  query: RetrievalQuery;
  /** Every hit, as ranked by the knowledge base's hybrid search (with the collection's history). */
  hits: SearchHit[];
  /** The same hits, in the same order, with how well each covers the question. */
  assessed: HitAssessment[];
  /**
   * Templates and FAQ answers: what a reply can rest on, best first, one per document — those the
   * conversation does not rule out. The confidence reads its signals (rank, lead over the next)
   * off this list: an answer nobody would be offered must not narrow the lead of one that would.
   */
  answers: HitAssessment[];
  /**
   * Answers the conversation rules out (`fitsCustomer`, `fitsChannel`): declared `notFor` the
   * customer's situation, a refusal to one who never spoke of a return, a template for another
   * channel. Kept to recognise passages that restate them.
   */
  ruledOut: HitAssessment[];
  /** Articles: supporting evidence a reply can cite. */
  evidence: HitAssessment[];
  /**
   * Share of the question's words that no retrieved entry contains: high when the customer asks
   * about something the knowledge base does not cover at all («сколько стоит ОСАГО»).
   */
  unmatched: number;
}

export const RETRIEVE_TOP_K = 12;

/**
 * The one search every caller shares: the service, `pnpm run search` and the evals all go through
 * `KnowledgeBase.search`; this stage decides what to ask it for (templates, FAQ answers and
 * articles in the conversation's language) and keeps its ranking. Re-sorting by a second score
 * here was measured to cost a tenth of the first suggestions (rutube-assist: cited@1 0.38 → 0.42).
 */
export async function retrieve(
  knowledge: KnowledgeBaseLike,
  input: {
    collection: string;
    messages: readonly ConversationMessage[];
    language: string;
    signal?: AbortSignal;
    topK?: number;
    /** What to search for; by default the whole conversation's query. */
    query?: RetrievalQuery;
    /** Which answers the conversation leaves on offer; default `fitFor(messages, 'chat')`. */
    fits?: (answer: HitAssessment) => boolean;
  },
): Promise<Retrieved> {
  const query = input.query ?? buildRetrievalQuery(input.messages);
  const hits = query.text
    ? await knowledge.search(input.collection, query.text, {
        topK: input.topK ?? RETRIEVE_TOP_K,
        filter: { kinds: ['template', 'faq', 'article'], languages: [input.language] },
      })
    : [];
  input.signal?.throwIfAborted();
  const latestStems = stemSet(query.latest);
  const useLatest = latestStems.size >= 3;
  const queryStems = useLatest ? latestStems : stemSet(query.text);
  // What is asked, without when things happened («купила на прошлой неделе»): no entry answers a
  // past time, so its words would count against every entry alike.
  const askedStems = stemSet(withoutPastTime(useLatest ? query.latest : query.text));
  const assessed = hits.map((hit) => assessHit(hit, queryStems, askedStems));
  const seen = new Set<string>();
  const ranked = assessed.filter(({ hit }) => {
    if (hit.kind !== 'template' && hit.kind !== 'faq') return false;
    if (seen.has(hit.documentId)) return false;
    seen.add(hit.documentId);
    return true;
  });
  const fits = input.fits ?? fitFor(input.messages, 'chat');
  const answers = ranked.filter(fits);
  const ruledOut = ranked.filter((answer) => !fits(answer));
  const evidence = assessed.filter(({ hit }) => hit.kind === 'article');
  return { query, hits, assessed, answers, ruledOut, evidence, unmatched: unmatchedShare(askedStems, hits) };
}

/** Whether an answer fits the conversation: its situations, a return spoken of or not, its channel. */
export function fitFor(
  messages: readonly ConversationMessage[],
  channel: Channel,
): (answer: HitAssessment) => boolean {
  const customerTexts = messages
    .filter((message) => message.role === 'customer')
    .map((message) => message.text);
  const situations = detectSituations(customerTexts, { channel }).map((claim) => claim.situation);
  const asksAboutReturn = mentionsReturn(customerTexts);
  return (answer) => fitsCustomer(answer, situations, asksAboutReturn) && fitsChannel(answer, channel);
}

/** Share of the query's stems found in none of the hits (titles, questions, texts). */
export function unmatchedShare(query: ReadonlySet<string>, hits: readonly SearchHit[]): number {
  if (query.size === 0) return 0;
  const seen = new Set<string>();
  for (const hit of hits) {
    const question = typeof hit.metadata?.question === 'string' ? hit.metadata.question : '';
    for (const stem of stemSet(`${hit.title}\n${question}\n${hit.text}`)) seen.add(stem);
  }
  let missing = 0;
  for (const stem of query) if (!seen.has(stem)) missing++;
  return missing / query.size;
}
