// `pnpm bench <name…>`: benchmarks that print figures. Targets are in the issues, not asserted here.
const BENCHES: Record<string, () => Promise<void>> = {
  ingest: async () => (await import('../ingest/bench/ingest-bench.ts')).runIngestBench(),
  search: async () => (await import('../ingest/bench/search-bench.ts')).runSearchBench(),
  assist: async () => (await import('../assist-service/bench/assist.ts')).runAssistBench(),
  extension: async () => (await import('../extension/bench/extension-bench.ts')).runExtensionBench(),
  scale: async () => (await import('../ingest/bench/scale-bench.ts')).runScaleBench(),
  load: async () => (await import('../assist-service/bench/load.ts')).runLoadBench(options),
};

// Bench names come first; options after them (`--sizes 1000,10000`, `--duration 20`) are each
// bench's to read.
const firstOption = process.argv.findIndex((argument, index) => index >= 2 && argument.startsWith('--'));
const names = process.argv.slice(2, firstOption < 0 ? undefined : firstOption);
const options = firstOption < 0 ? [] : process.argv.slice(firstOption);
if (names.length === 0 || names.some((name) => !(name in BENCHES))) {
  process.stderr.write(`usage: pnpm bench <${Object.keys(BENCHES).join('|')}>… [--option value…]\n`);
  process.exit(2);
}
for (const name of names) await BENCHES[name]!();
