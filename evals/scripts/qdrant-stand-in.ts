/**
 * Runs the evals CLI with the knowledge base's vectors in the msw stand-in for Qdrant
 * (ingest/src/test-support/qdrant-stand-in.ts): a LOCAL STAND-IN, not Qdrant. Its dense search is
 * the exact cosine over every upserted point, its sparse search and reciprocal rank fusion follow
 * Qdrant's documented formulas; a real server approximates the dense search with HNSW, so figures
 * from here say what the adapter and the fusion do, not what a Qdrant deployment measures.
 *
 *   node evals/scripts/qdrant-stand-in.ts <service|qdrant> run rutube-retrieval
 *
 * The first argument is NAPARNIK_QDRANT_FUSION; the rest are the evals CLI's.
 */
import { setupServer } from 'msw/node';
import { createQdrantStandIn } from '../../ingest/src/test-support/qdrant-stand-in.ts';

const [fusion, ...argv] = process.argv.slice(2);
if (fusion !== 'service' && fusion !== 'qdrant') {
  process.stderr.write('usage: node evals/scripts/qdrant-stand-in.ts <service|qdrant> <evals command…>\n');
  process.exit(2);
}
const standIn = createQdrantStandIn();
const server = setupServer(...standIn.handlers);
server.listen({ onUnhandledFrame: 'bypass' });
process.env.QDRANT_URL = standIn.url;
process.env.NAPARNIK_QDRANT_FUSION = fusion;
process.stderr.write(`vectors in the msw stand-in for Qdrant (not a Qdrant server), fusion in ${fusion}\n`);
const { main } = await import('../src/cli.ts');
process.exitCode = await main(argv);
server.close();
