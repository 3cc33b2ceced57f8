/**
 * Port plan of the local stack. Every port is derived from one base so that
 * several stacks (dev, tests, experiments) can run side by side on loopback.
 *
 *   etcd client B+1, etcd peer B+2
 *   postgres B+10.., Patroni REST B+20..
 *   AMQP B+30.., management HTTP B+40.., Erlang distribution B+50..
 *
 * The defaults sit below Linux's ephemeral range (32768-60999): a port in that
 * range can be taken at any moment by some process's outgoing connection, and
 * a node that cannot bind its port fails the whole start.
 */

export const DEFAULT_PORT_BASE = 21000;
export const DEFAULT_FRONT_END_PORT = 3000;

export const POSTGRES_NODE_COUNT = 2;
export const RABBITMQ_NODE_COUNT = 3;

/** Highest offset used by the plan; the base must leave room for it. */
export const MAX_PORT_OFFSET = 50 + RABBITMQ_NODE_COUNT - 1;

export interface PortPlan {
  base: number;
  etcdClient: number;
  etcdPeer: number;
  /** PostgreSQL ports, one per Patroni member (pg1, pg2). */
  postgres: number[];
  /** Patroni REST API ports, same order as `postgres`. */
  patroniRest: number[];
  /** AMQP listener ports, one per RabbitMQ node. */
  amqp: number[];
  /** Management HTTP ports, same order as `amqp`. */
  management: number[];
  /** Erlang distribution ports, same order as `amqp`. */
  erlangDist: number[];
}

function range(start: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => start + i);
}

export function portPlan(base: number): PortPlan {
  assertValidBase(base);
  return {
    base,
    etcdClient: base + 1,
    etcdPeer: base + 2,
    postgres: range(base + 10, POSTGRES_NODE_COUNT),
    patroniRest: range(base + 20, POSTGRES_NODE_COUNT),
    amqp: range(base + 30, RABBITMQ_NODE_COUNT),
    management: range(base + 40, RABBITMQ_NODE_COUNT),
    erlangDist: range(base + 50, RABBITMQ_NODE_COUNT),
  };
}

export function assertValidBase(base: number): void {
  if (!Number.isInteger(base) || base < 1024 || base + MAX_PORT_OFFSET > 65535) {
    throw new RangeError(
      `invalid port base ${String(base)}: must be an integer from 1024 to ${65535 - MAX_PORT_OFFSET}`,
    );
  }
}

/** Every port of the plan, in ascending order. */
export function allPorts(plan: PortPlan): number[] {
  return [
    plan.etcdClient,
    plan.etcdPeer,
    ...plan.postgres,
    ...plan.patroniRest,
    ...plan.amqp,
    ...plan.management,
    ...plan.erlangDist,
  ].sort((a, b) => a - b);
}

function parsePort(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const trimmed = value.trim();
  if (!/^\d+$/.test(trimmed)) {
    throw new RangeError(`${name} must be a number, got ${JSON.stringify(value)}`);
  }
  return Number(trimmed);
}

/** Port base from STACK_PORT_BASE (default 21000). */
export function portBaseFromEnv(env: NodeJS.ProcessEnv = process.env, fallback = DEFAULT_PORT_BASE): number {
  const base = parsePort('STACK_PORT_BASE', env['STACK_PORT_BASE'], fallback);
  assertValidBase(base);
  return base;
}

/** Front-end port from PORT (default 3000). */
export function frontEndPortFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const port = parsePort('PORT', env['PORT'], DEFAULT_FRONT_END_PORT);
  if (port < 1 || port > 65535) throw new RangeError(`PORT must be from 1 to 65535, got ${port}`);
  return port;
}

/** Number of back-end workers from WORKERS (default 2). */
export function workerCountFromEnv(env: NodeJS.ProcessEnv = process.env, fallback = 2): number {
  const count = parsePort('WORKERS', env['WORKERS'], fallback);
  if (count < 0 || count > 64) throw new RangeError(`WORKERS must be from 0 to 64, got ${count}`);
  return count;
}
