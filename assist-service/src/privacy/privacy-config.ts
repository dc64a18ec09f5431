import { z } from 'zod';
import { RETENTION_TABLE_NAMES } from '../contract/privacy.ts';
import { jsonSetting } from '../json-setting.ts';

/** The tables retention applies to; `history` is the knowledge base's past questions (per collection). */
export const RETENTION_TABLES = RETENTION_TABLE_NAMES;
export type RetentionTable = (typeof RETENTION_TABLES)[number];
/** Days per table (0: forever); a table left out follows the next source. */
export type RetentionDays = Partial<Record<RetentionTable, number>>;

const days = z.number().int().min(0).max(36_500);
const policySchema = z.record(
  z.string().min(1).max(200),
  z.partialRecord(z.enum(RETENTION_TABLES), days).refine((value) => Object.keys(value).length > 0, {
    message: 'name at least one table',
  }),
);
export type RetentionPolicy = z.infer<typeof policySchema>;

const policyString = jsonSetting(policySchema, {
  expected: 'JSON like {"default": {"feedback_events": 30}} (tenant → table → days)',
  label: 'retention policy',
});

const privacyEnvironmentSchema = z.object({
  NAPARNIK_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(90),
  NAPARNIK_RETENTION_POLICY: policyString.optional(),
  NAPARNIK_RETENTION_INTERVAL_MINUTES: z.coerce.number().int().min(0).max(10_080).default(60),
  NAPARNIK_PRIVACY_KEY: z.preprocess(
    (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
    z.string().min(16, 'at least 16 characters').max(512).optional(),
  ),
});

export interface PrivacyConfig {
  /** Days a row is kept when the policy names no other figure for its tenant and table; 0: forever. */
  retentionDays: number;
  /** Per tenant and table, overriding `retentionDays` (and NAPARNIK_HISTORY_RETENTION_DAYS for history). */
  retentionPolicy: RetentionPolicy;
  /** How often the running service enforces retention; 0: only at start and from the CLI. */
  retentionIntervalMinutes: number;
  /** Key of the customer-identifier hashes; unset: a random one kept in the data folder. */
  hashKey?: string | undefined;
}

/** The privacy section of the service's configuration (README: "Personal data"). */
export function loadPrivacySection(environment: NodeJS.ProcessEnv): { privacy: PrivacyConfig } | string[] {
  const parsed = privacyEnvironmentSchema.safeParse(environment);
  if (!parsed.success) return parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  const values = parsed.data;
  return {
    privacy: {
      retentionDays: values.NAPARNIK_RETENTION_DAYS,
      retentionPolicy: values.NAPARNIK_RETENTION_POLICY ?? {},
      retentionIntervalMinutes: values.NAPARNIK_RETENTION_INTERVAL_MINUTES,
      hashKey: values.NAPARNIK_PRIVACY_KEY,
    },
  };
}

/**
 * The configured policy with each tenant's own figures (set by its admin through
 * /v1/privacy/retention) laid over it: a stored figure wins over the environment's for its tenant.
 */
export function withTenantSettings(
  config: Pick<PrivacyConfig, 'retentionDays' | 'retentionPolicy'>,
  stored: Record<string, RetentionDays>,
): Pick<PrivacyConfig, 'retentionDays' | 'retentionPolicy'> {
  const policy: RetentionPolicy = { ...config.retentionPolicy };
  for (const [tenant, days] of Object.entries(stored)) policy[tenant] = { ...policy[tenant], ...days };
  return { retentionDays: config.retentionDays, retentionPolicy: policy };
}

/** Days to keep rows of `table` for `tenant`: the tenant's figure, else `*`'s, else the default. */
export function retentionDaysFor(
  config: Pick<PrivacyConfig, 'retentionDays' | 'retentionPolicy'>,
  tenant: string,
  table: RetentionTable,
  fallback = config.retentionDays,
): number {
  return config.retentionPolicy[tenant]?.[table] ?? config.retentionPolicy['*']?.[table] ?? fallback;
}
