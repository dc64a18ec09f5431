// `pnpm bench <name…>`: benchmarks that print figures. Targets are in the issues, not asserted here.
const BENCHES: Record<string, () => Promise<void>> = {
  ingest: async () => (await import('../ingest/bench/ingest-bench.ts')).runIngestBench(),
  search: async () => (await import('../ingest/bench/search-bench.ts')).runSearchBench(),
  assist: async () =>
    engine === 'claude'
      ? (await import('../assist-service/bench/assist-model.ts')).runAssistModelBench({
          ...(process.env.BENCH_MODEL_CHUNKS ? { chunks: Number(process.env.BENCH_MODEL_CHUNKS) } : {}),
          ...(process.env.BENCH_MODEL_TTFT_MS ? { ttftMs: Number(process.env.BENCH_MODEL_TTFT_MS) } : {}),
          ...(process.env.BENCH_CORPUS_DIR ? { corpusDir: process.env.BENCH_CORPUS_DIR } : {}),
        })
      : (await import('../assist-service/bench/assist.ts')).runAssistBench(),
  extension: async () => (await import('../extension/bench/extension-bench.ts')).runExtensionBench(),
};

// `--engine claude` (assist only): drafting with a model against a simulated Anthropic API.
const argv = process.argv.slice(2);
const engineAt = argv.indexOf('--engine');
const engine = engineAt >= 0 ? argv[engineAt + 1] : undefined;
const names = argv.filter((_, index) => engineAt < 0 || (index !== engineAt && index !== engineAt + 1));
if (
  names.length === 0 ||
  names.some((name) => !(name in BENCHES)) ||
  (engine !== undefined && (engine !== 'claude' || names.join() !== 'assist'))
) {
  process.stderr.write(
    `usage: pnpm bench <${Object.keys(BENCHES).join('|')}>…  |  pnpm bench assist --engine claude\n`,
  );
  process.exit(2);
}
for (const name of names) await BENCHES[name]!();
