// `pnpm start`: ingests the demo knowledge base (on first start) and runs the assist service.
// Until the service lands it shows the knowledge base working: ingest, then a few searches.
import { DEMO_KB_PATHS, loadIngestConfig, openKnowledgeBase } from '@naparnik/ingest';

const config = loadIngestConfig();
const kb = await openKnowledgeBase({ config });
try {
  const summary = await kb.ingest(DEMO_KB_PATHS, { collection: 'demo' });
  process.stdout.write(
    `Demo knowledge base in ${config.dataDir}: ${summary.added} added, ${summary.updated} updated, ` +
      `${summary.unchanged} unchanged, ${summary.failed.length} failed (${summary.seconds} s)\n`,
  );
  for (const query of [
    'когда привезут мой заказ',
    'можно вернуть серьги из серебра?',
    'how do I use a gift card',
  ]) {
    const hits = await kb.search('demo', query, { topK: 3 });
    process.stdout.write(`\n> ${query}\n`);
    for (const hit of hits) process.stdout.write(`  [${hit.kind}] ${hit.title} (${hit.documentId})\n`);
  }
} finally {
  await kb.close();
}
