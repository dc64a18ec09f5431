import { retentionCutoff } from '@naparnik/ingest';
import type { KnowledgeStore } from '@naparnik/ingest/store';
import type { Logger } from 'pino';
import { type PrivacyConfig, retentionDaysFor, withTenantSettings } from './privacy-config.ts';
import type { EventTable, PrivacyStore } from './sqlite-privacy-store.ts';

const EVENT_TABLES: readonly EventTable[] = ['suggestion_sets', 'feedback_events', 'knowledge_gaps'];

/** Rows deleted: per event table and tenant, and history entries of every tenant covered. */
export interface RetentionRun {
  deleted: Record<EventTable, Record<string, number>>;
  history: number;
}

/**
 * Deletes what is older than its tenant's and table's retention: each tenant's own figures (set by
 * its admin, stored with the privacy store) over the configured policy. History lives in each
 * tenant's knowledge base: the service's own (`knowledge`, `tenant`) and the others'
 * (`otherTenants`); its default is NAPARNIK_HISTORY_RETENTION_DAYS unless the tenant's figures
 * name `history`.
 */
export async function enforceRetention(options: {
  privacy: PrivacyStore;
  knowledge?: KnowledgeStore | undefined;
  config: Pick<PrivacyConfig, 'retentionDays' | 'retentionPolicy'>;
  tenant: string;
  /** The knowledge bases of the other tenants whose history retention covers. */
  otherTenants?: () => Promise<Array<{ tenant: string; knowledge: KnowledgeStore | undefined }>>;
  historyRetentionDays: number;
  now: Date;
}): Promise<RetentionRun> {
  const { privacy, now } = options;
  const config = withTenantSettings(options.config, await privacy.allRetentionSettings());
  const deleted = {} as RetentionRun['deleted'];
  for (const table of EVENT_TABLES) {
    deleted[table] = await privacy.deleteExpired(table, (tenant) =>
      retentionCutoff(retentionDaysFor(config, tenant, table), now),
    );
  }
  let history = 0;
  const histories = [
    { tenant: options.tenant, knowledge: options.knowledge },
    ...((await options.otherTenants?.()) ?? []),
  ];
  for (const { tenant, knowledge } of histories) {
    const cutoff = retentionCutoff(
      retentionDaysFor(config, tenant, 'history', options.historyRetentionDays),
      now,
    );
    if (!knowledge || !cutoff) continue;
    for (const { name } of await knowledge.listCollections()) {
      history += await knowledge.deleteHistory(name, { olderThan: cutoff });
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
