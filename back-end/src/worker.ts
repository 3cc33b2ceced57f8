import type { Server } from 'node:http';
import { RpcServer } from '@barback/messaging';
import { DbCluster, classifyFailure, migrate, parseHosts } from '@barback/db';
import type { Logger } from 'pino';
import type { WorkerConfig } from './config.js';
import { createDispatch } from './dispatch.js';
import { handlers } from './handlers/index.js';
import { startHealthServer } from './health-server.js';
import { createEventPurger, createRequestPurger, type RequestPurger } from './jobs/request-purger.js';
import { ChangeRelay } from './outbox/relay.js';
import { createStockFolder, type StockFolder } from './jobs/stock-folder.js';

export interface Worker {
  start(): Promise<void>;
  stop(): Promise<void>;
  readonly db: DbCluster;
  readonly rpc: RpcServer;
  readonly purger: RequestPurger;
  readonly stockFolder: StockFolder;
  readonly relay: ChangeRelay;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The worker's database pools, as its configuration describes them. */
export function createDbCluster(config: WorkerConfig, logger: Logger): DbCluster {
  return new DbCluster({
    hosts: parseHosts(config.db.hosts),
    database: config.db.name,
    user: config.db.user,
    password: config.db.password,
    poolSize: config.db.poolSize,
    logger,
  });
}

export function createWorker(config: WorkerConfig, logger: Logger): Worker {
  const db = createDbCluster(config, logger);
  const stockFolder = createStockFolder(db, logger);
  const purger = createRequestPurger(db, config.idempotencyKeepHours, logger);
  const eventPurger = createEventPurger(db, config.events.retentionDays, logger);
  const relay = new ChangeRelay({ db, log: logger, amqpUrls: config.amqpUrls, retention: config.events.streamRetention, workerId: config.workerId });
  const rpc = new RpcServer({
    urls: config.amqpUrls,
    logger,
    workerId: config.workerId,
    prefetch: config.prefetch,
    dispatch: createDispatch({ db, handlers, workerId: config.workerId, stockFolder, relay, settings: config.settings }),
    classifyFailure,
  });
  let health: Server | null = null;
  let stopped = false;

  /** Waits for a primary (the database may still be electing one) and applies migrations under their lock. */
  async function migrateWhenReady(): Promise<void> {
    for (let attempt = 1; !stopped; attempt += 1) {
      try {
        const client = await (await db.primary()).connect();
        try {
          await migrate(client, logger);
          return;
        } finally {
          client.release();
        }
      } catch (err) {
        db.forgetRoles();
        logger.warn({ err: (err as Error).message, attempt }, 'waiting for the database primary');
        await sleep(Math.min(500 * attempt, 5000));
      }
    }
  }

  return {
    db,
    rpc,
    purger,
    stockFolder,
    relay,
    async start() {
      if (config.healthPort) {
        health = await startHealthServer(config.healthPort, {
          ready: () => {
            const roles = db.roles();
            return { ready: rpc.isConnected() && roles.primary !== null, detail: { broker: rpc.isConnected(), ...roles } };
          },
        });
      }
      if (config.db.migrateOnStart) await migrateWhenReady();
      else await db.discover();
      rpc.start();
      await rpc.waitForConnect();
      purger.start();
      eventPurger.start();
      relay.start();
      logger.info('worker ready');
    },
    async stop() {
      stopped = true;
      await rpc.stop();
      await stockFolder.close();
      await purger.close();
      await eventPurger.close();
      await relay.close();
      await db.close();
      await new Promise((r) => (health ? health.close(r) : r(undefined)));
    },
  };
}
