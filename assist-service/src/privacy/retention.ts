import { retentionCutoff } from '@naparnik/ingest';
import type { KnowledgeStore } from '@naparnik/ingest/store';
import type { Logger } from 'pino';
import { type PrivacyConfig, retentionDaysFor } from './privacy-config.ts';
import type { EventTable, PrivacyStore } from './sqlite-privacy-store.ts';

const EVENT_TABLES: readonly EventTable[] = ['suggestion_sets', 'feedback_events', 'knowledge_gaps'];

/** Rows deleted: per event table and tenant, and history entries of this service's tenant. */
export interface RetentionRun {
  deleted: Record<EventTable, Record<string, number>>;
  history: number;
}

/**
 * Deletes what is older than its tenant's and table's retention. History lives in the knowledge
 * base, one per tenant (the service's); its default is NAPARNIK_HISTORY_RETENTION_DAYS unless the
 * policy names `history` for the tenant.
 */
export async function enforceRetention(options: {
  privacy: PrivacyStore;
  knowledge?: KnowledgeStore | undefined;
  config: Pick<PrivacyConfig, 'retentionDays' | 'retentionPolicy'>;
  tenant: string;
  historyRetentionDays: number;
  now: Date;
}): Promise<RetentionRun> {
  const { privacy, config, now } = options;
  const deleted = {} as RetentionRun['deleted'];
  for (const table of EVENT_TABLES) {
    deleted[table] = await privacy.deleteExpired(table, (tenant) =>
      retentionCutoff(retentionDaysFor(config, tenant, table), now),
    );
  }
  let history = 0;
  const cutoff = retentionCutoff(
    retentionDaysFor(config, options.tenant, 'history', options.historyRetentionDays),
    now,
  );
  if (options.knowledge && cutoff) {
    for (const { name } of await options.knowledge.listCollections()) {
      history += await options.knowledge.deleteHistory(name, { olderThan: cutoff });
    }
  }
  return { deleted, history };
}

/** Total rows a run deleted, for the log line. */
export function retentionCounts(run: RetentionRun): Record<string, number> {
  const counts: Record<string, number> = { history: run.history };
  for (const [table, byTenant] of Object.entries(run.deleted)) {
    counts[table] = Object.values(byTenant).reduce((sum, count) => sum + count, 0);
  }
  return counts;
}

/**
 * Runs retention once now and then every `intervalMinutes` (0: only now). The timer is unref'd:
 * it never keeps the process alive. A failed run is logged and tried again at the next tick.
 */
export function startRetentionJob(options: {
  run: () => Promise<RetentionRun>;
  intervalMinutes: number;
  logger: Pick<Logger, 'info' | 'warn'>;
}): { stop(): void; running(): Promise<void> } {
  let current: Promise<void> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    current = current.then(async () => {
      const started = performance.now();
      try {
        const run = await options.run();
        options.logger.info(
          { deleted: retentionCounts(run), ms: Math.round(performance.now() - started) },
          'retention enforced',
        );
      } catch (error) {
        options.logger.warn({ code: (error as { code?: unknown }).code, err: error }, 'retention run failed');
      }
    });
  };
  tick();
  const timer = options.intervalMinutes > 0 ? setInterval(tick, options.intervalMinutes * 60_000) : undefined;
  timer?.unref();
  return {
    stop() {
      stopped = true;
      if (timer) clearInterval(timer);
    },
    running: () => current,
  };
}
