// `pnpm bench <name…>`: benchmarks that print figures. Targets are in the issues, not asserted here.
const BENCHES: Record<string, () => Promise<void>> = {
  ingest: async () => (await import('../ingest/bench/ingest-bench.ts')).runIngestBench(),
  search: async () => (await import('../ingest/bench/search-bench.ts')).runSearchBench(),
  assist: async () => (await import('../assist-service/bench/assist.ts')).runAssistBench(),
  extension: async () => (await import('../extension/bench/extension-bench.ts')).runExtensionBench(),
};

const names = process.argv.slice(2);
if (names.length === 0 || names.some((name) => !(name in BENCHES))) {
  process.stderr.write(`usage: pnpm bench <${Object.keys(BENCHES).join('|')}>…\n`);
  process.exit(2);
}
for (const name of names) await BENCHES[name]!();
