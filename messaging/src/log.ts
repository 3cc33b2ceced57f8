import type { LogFn } from 'pino';

/** The logger surface both pino and Fastify's request logger offer, so callers can pass either. */
export interface Log {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  child(bindings: Record<string, unknown>): Log;
}
