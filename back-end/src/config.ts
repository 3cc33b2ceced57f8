import { hostname } from 'node:os';
import { Type, type Static } from '@sinclair/typebox';
import { envSchema } from 'env-schema';
import type { StreamRetention } from '@barback/messaging';

const ConfigSchema = Type.Object({
  AMQP_URLS: Type.String({ minLength: 1, description: 'Comma-separated broker URLs, tried in turn.' }),
  DB_HOSTS: Type.String({ minLength: 1, description: 'Comma-separated host:port of every Postgres node.' }),
  DB_NAME: Type.String({ default: 'barback' }),
  DB_USER: Type.String({ default: 'barback' }),
  DB_PASSWORD: Type.String({ minLength: 1 }),
  DB_POOL_SIZE: Type.Integer({ minimum: 1, maximum: 200, default: 10 }),
  DB_MIGRATE_ON_START: Type.Boolean({ default: true }),
  WORKER_PREFETCH: Type.Integer({ minimum: 1, maximum: 1000, default: 16 }),
  WORKER_ID: Type.String({ default: `${hostname()}-${process.pid}` }),
  IDEMPOTENCY_KEEP_HOURS: Type.Integer({
    minimum: 1,
    maximum: 87_600,
    default: 168,
    description: 'Hours a write\'s stored reply is kept, so a repeat of its request id gets it back instead of applying again.',
  }),
  EVENTS_RETENTION_DAYS: Type.Integer({
    minimum: 1,
    maximum: 36_500,
    default: 30,
    description: 'Days published events stay in the outbox, for listEvents and the SSE stream to replay.',
  }),
  CHANGES_MAX_AGE: Type.String({ pattern: '^[1-9][0-9]{0,5}(Y|M|D|h|m|s)$', default: '30D', description: "The change stream's retention by age, in RabbitMQ's form (30D, 12h)." }),
  CHANGES_MAX_BYTES: Type.Integer({ minimum: 1_000_000, default: 10_000_000_000, description: "The change stream's retention by size, in bytes." }),
  CASH_VARIANCE_NOTE_CENTS: Type.Integer({
    minimum: 0,
    maximum: 100_000_000,
    default: 500,
    description: 'A cash-up over or short by more than this many cents needs a note on the Z (shifts.closeShift).',
  }),
  HEALTH_PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 0 }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info' },
  ),
});
type Env = Static<typeof ConfigSchema>;

export interface WorkerConfig {
  amqpUrls: string[];
  db: { hosts: string; name: string; user: string; password: string; poolSize: number; migrateOnStart: boolean };
  prefetch: number;
  workerId: string;
  /** How long a write's reply is kept for repeats of its request id (see RequestPurger). */
  idempotencyKeepHours: number;
  /** How long events stay in the outbox after publishing, and on the stream (docs/changes.md). */
  events: { retentionDays: number; streamRetention: StreamRetention };
  healthPort: number;
  logLevel: string;
  /** What handlers are told of the configuration (WriteContext.settings). */
  settings: WorkerSettings;
}

export interface WorkerSettings {
  /** Over or short by more than this needs a note on the Z. */
  cashVarianceNoteCents: number;
}

export const DEFAULT_SETTINGS: WorkerSettings = { cashVarianceNoteCents: 500 };

/** Validates the environment once at boot; nothing else reads process.env. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const e = envSchema<Env>({ schema: ConfigSchema, data: env, dotenv: false });
  return {
    amqpUrls: e.AMQP_URLS.split(',').map((u) => u.trim()).filter(Boolean),
    db: {
      hosts: e.DB_HOSTS,
      name: e.DB_NAME,
      user: e.DB_USER,
      password: e.DB_PASSWORD,
      poolSize: e.DB_POOL_SIZE,
      migrateOnStart: e.DB_MIGRATE_ON_START,
    },
    prefetch: e.WORKER_PREFETCH,
    workerId: e.WORKER_ID,
    idempotencyKeepHours: e.IDEMPOTENCY_KEEP_HOURS,
    events: { retentionDays: e.EVENTS_RETENTION_DAYS, streamRetention: { maxAge: e.CHANGES_MAX_AGE, maxBytes: e.CHANGES_MAX_BYTES } },
    healthPort: e.HEALTH_PORT,
    logLevel: e.LOG_LEVEL,
    settings: { cashVarianceNoteCents: e.CASH_VARIANCE_NOTE_CENTS },
  };
}
