import { Socket } from 'node:net';
import amqpConnectionManager from 'amqp-connection-manager';
import type { AmqpConnectionManager } from 'amqp-connection-manager';
import type { Log as Logger } from './log.js';
import { batchSocketWrites } from './write-batching.js';

export interface BrokerOptions {
  /** Tried in turn on connect and on every reconnect. */
  urls: string[];
  logger: Logger;
  /** Shown in the RabbitMQ management UI's connection list. */
  connectionName: string;
  heartbeatSeconds?: number;
  reconnectSeconds?: number;
}

/**
 * One long-lived connection per process. amqp-connection-manager rotates through
 * the URL list and re-runs every channel's setup after a reconnect.
 */
export function connectBroker(options: BrokerOptions): AmqpConnectionManager {
  const { urls, logger } = options;
  const manager = amqpConnectionManager.connect(urls, {
    heartbeatIntervalInSeconds: options.heartbeatSeconds ?? 5,
    reconnectTimeInSeconds: options.reconnectSeconds ?? 1,
    connectionOptions: {
      // amqplib writes a message as several frames; with Nagle's algorithm on, the
      // last ones wait for the peer's delayed ACK, about 40 ms on Linux, whenever a
      // reply is larger than a ping. Measured: listProducts at 1 connection, 48 ms p50.
      noDelay: true,
      clientProperties: { connection_name: options.connectionName },
    },
  });
  manager.on('connect', ({ connection, url }) => {
    // amqplib keeps its socket at connection.stream (not in its typings).
    const socket = (connection as unknown as { connection?: { stream?: unknown } }).connection?.stream;
    if (socket instanceof Socket) batchSocketWrites(socket);
    else logger.warn('broker socket not found; its writes go out one frame at a time');
    logger.info({ broker: redact(url) }, 'broker connected');
  });
  // amqplib closes a connection we closed ourselves without an error, whatever the typings say.
  manager.on('disconnect', ({ err }: { err?: Error }) => logger.warn({ err: err?.message }, 'broker disconnected'));
  manager.on('connectFailed', ({ err, url }: { err?: Error; url: unknown }) =>
    logger.warn({ err: err?.message, broker: redact(url) }, 'broker connection attempt failed'),
  );
  manager.on('blocked', ({ reason }) => logger.warn({ reason }, 'broker blocked publishing'));
  manager.on('unblocked', () => logger.info('broker unblocked publishing'));
  return manager;
}

/** Credentials never reach the logs. */
export function redact(url: unknown): string {
  const inner = typeof url === 'object' && url !== null && 'url' in url ? url.url : undefined;
  const text = typeof url === 'string' ? url : String(inner ?? url);
  return text.replace(/\/\/[^@/]*@/, '//***@');
}
