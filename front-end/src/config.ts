import { Type, type Static } from '@sinclair/typebox';
import { envSchema } from 'env-schema';

const ConfigSchema = Type.Object({
  AMQP_URLS: Type.String({ minLength: 1 }),
  HOST: Type.String({ default: '127.0.0.1' }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  SESSION_KEY: Type.String({ pattern: '^[0-9a-fA-F]{64}$' }),
  COOKIE_SECURE: Type.Union([Type.Literal('auto'), Type.Literal('true'), Type.Literal('false')], { default: 'auto' }),
  TRUST_PROXY: Type.Boolean({ default: false }),
  RPC_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 120_000, default: 5000 }),
  ARGON2_MAX_CONCURRENCY: Type.Integer({ minimum: 1, maximum: 64, default: 4 }),
  AUTH_RATE_LIMIT_PER_MINUTE: Type.Integer({ minimum: 1, default: 60 }),
  TILL_IDLE_LOCK_SECONDS: Type.Integer({ minimum: 1, maximum: 86_400, default: 300 }),
  WORKER_PING_INTERVAL_MS: Type.Integer({ minimum: 0, default: 5000 }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info' },
  ),
});
type Env = Static<typeof ConfigSchema>;

export interface FrontEndConfig {
  amqpUrls: string[];
  host: string;
  port: number;
  sessionKey: Buffer;
  cookieSecure: 'auto' | boolean;
  trustProxy: boolean;
  rpcTimeoutMs: number;
  argon2MaxConcurrency: number;
  authRateLimitPerMinute: number;
  /** An enrolled till with no activity for this long locks itself (back to the PIN lock screen). */
  tillIdleLockSeconds: number;
  workerPingIntervalMs: number;
  logLevel: string;
}

/** Validates the environment once at boot; nothing else reads process.env. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): FrontEndConfig {
  const e = envSchema<Env>({ schema: ConfigSchema, data: env, dotenv: false });
  return {
    amqpUrls: e.AMQP_URLS.split(',').map((u) => u.trim()).filter(Boolean),
    host: e.HOST,
    port: e.PORT,
    sessionKey: Buffer.from(e.SESSION_KEY, 'hex'),
    cookieSecure: e.COOKIE_SECURE === 'auto' ? 'auto' : e.COOKIE_SECURE === 'true',
    trustProxy: e.TRUST_PROXY,
    rpcTimeoutMs: e.RPC_TIMEOUT_MS,
    argon2MaxConcurrency: e.ARGON2_MAX_CONCURRENCY,
    authRateLimitPerMinute: e.AUTH_RATE_LIMIT_PER_MINUTE,
    tillIdleLockSeconds: e.TILL_IDLE_LOCK_SECONDS,
    workerPingIntervalMs: e.WORKER_PING_INTERVAL_MS,
    logLevel: e.LOG_LEVEL,
  };
}
