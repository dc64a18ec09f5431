// `pnpm bench <name…>`: benchmarks that print figures. Targets are in the issues, not asserted here.
const BENCHES: Record<string, () => Promise<void>> = {
  ingest: async () => (await import('../ingest/bench/ingest-bench.ts')).runIngestBench(),
  search: async () => (await import('../ingest/bench/search-bench.ts')).runSearchBench(),
  history: async () => (await import('../ingest/bench/history-bench.ts')).runHistoryBench(),
  assist: async () =>
    engine === 'claude'
      ? (await import('../assist-service/bench/assist-model.ts')).runAssistModelBench({
          ...(process.env.BENCH_MODEL_CHUNKS ? { chunks: Number(process.env.BENCH_MODEL_CHUNKS) } : {}),
          ...(process.env.BENCH_MODEL_TTFT_MS ? { ttftMs: Number(process.env.BENCH_MODEL_TTFT_MS) } : {}),
          ...(process.env.BENCH_CORPUS_DIR ? { corpusDir: process.env.BENCH_CORPUS_DIR } : {}),
        })
      : await (async () => {
          const { historyOption, runAssistBench } = await import('../assist-service/bench/assist.ts');
          const history = historyOption(options);
          return runAssistBench(history !== undefined ? { history } : {});
        })(),
  extension: async () => (await import('../extension/bench/extension-bench.ts')).runExtensionBench(),
  scale: async () => (await import('../ingest/bench/scale-bench.ts')).runScaleBench(),
  load: async () => (await import('../assist-service/bench/load.ts')).runLoadBench(options),
  gaps: async () => (await import('../assist-service/bench/gaps.ts')).runGapsBench(),
  state: async () => (await import('../assist-service/bench/state.ts')).runStateBench(options),
  console: async () => (await import('../assist-service/bench/console.ts')).runConsoleBench(options),
  isolation: async () => (await import('../assist-service/bench/isolation.ts')).runIsolationBench(options),
  calibrate: async () => (await import('../assist-service/bench/calibrate.ts')).runCalibrateBench(options),
};

// Bench names come first; options after them (`--sizes 1000,10000`, `--duration 20`, `--engine
// claude` for assist: drafting with a model against a simulated Anthropic API) are each bench's.
const firstOption = process.argv.findIndex((argument, index) => index >= 2 && argument.startsWith('--'));
const names = process.argv.slice(2, firstOption < 0 ? undefined : firstOption);
const options = firstOption < 0 ? [] : process.argv.slice(firstOption);
const engineAt = options.indexOf('--engine');
const engine = engineAt >= 0 ? options[engineAt + 1] : undefined;
if (
  names.length === 0 ||
  names.some((name) => !(name in BENCHES)) ||
  (engine !== undefined && (engine !== 'claude' || names.join() !== 'assist'))
) {
  process.stderr.write(
    `usage: pnpm bench <${Object.keys(BENCHES).join('|')}>… [--option value…]  |  pnpm bench assist --engine claude\n`,
  );
  process.exit(2);
}
for (const name of names) await BENCHES[name]!();
