import type { DbCluster } from '@barback/db';
import { ChangePublisher, type Log as Logger, type StreamRetention } from '@barback/messaging';
import type pg from 'pg';
import { Job } from '../jobs/job.js';
import { markPublished, placeEvents, unpublishedEvents } from '../queries/outbox.js';

/**
 * How often the relay looks for events committed by other workers (its own
 * worker's writes wake it at once, `soon`). 100 ms keeps commit → stream
 * well under the dashboard's 1 s for any worker's write, for ten
 * index-only probes a second of an empty partial index on the primary.
 */
export const RELAY_POLL_MS = 100;
/** How often a worker that is not the active relay asks for the lock: a relay killed outright is replaced within this. */
export const RELAY_TAKEOVER_MS = 1000;
/** Events placed and published per round; a backlog after an outage goes out in rounds of this. */
export const RELAY_BATCH = 500;
/** The advisory lock whose holder is the one active relay (a session lock on a connection of its own). */
const RELAY_LOCK_KEY = 6153845012;

export interface ChangeRelayOptions {
  db: DbCluster;
  log: Logger;
  amqpUrls: string[];
  retention: StreamRetention;
  workerId: string;
  pollMs?: number;
  takeoverMs?: number;
  batch?: number;
}

/**
 * Moves committed events from the outbox to the stream barback.changes
 * (docs/changes.md). Every worker runs one; the one holding the advisory
 * lock is active, on the same connection that holds the lock, so a relay
 * that loses its primary (failover) or dies (its connection closes) stops
 * relaying in the same instant it stops being the one.
 *
 * A round: give the committed events not yet placed their positions (one
 * short transaction), then publish the placed, unpublished ones in position
 * order and mark them published once the broker has confirmed them all. A
 * crash between publish and mark publishes them again on the next round,
 * same ids and positions: at least once, never out of order.
 */
export class ChangeRelay extends Job<number> {
  private client: pg.PoolClient | null = null;
  private nextLockAttempt = 0;
  private readonly publisher: ChangePublisher;
  private readonly batch: number;
  private readonly takeoverMs: number;

  constructor(private readonly options: ChangeRelayOptions) {
    super({ log: options.log, failure: 'change relay round failed; the next round starts again from the outbox', intervalMs: options.pollMs ?? RELAY_POLL_MS });
    this.publisher = new ChangePublisher({
      urls: options.amqpUrls,
      log: options.log,
      retention: options.retention,
      connectionName: `barback relay ${options.workerId}`,
    });
    this.batch = options.batch ?? RELAY_BATCH;
    this.takeoverMs = options.takeoverMs ?? RELAY_TAKEOVER_MS;
  }

  /** True while this worker's relay is the active one. */
  get active(): boolean {
    return this.client !== null;
  }

  /** After a write of this worker committed events: relay them now rather than at the next poll. */
  soon(): void {
    if (this.client) void this.run();
  }

  protected override firstDelayMs(): number {
    return 0;
  }

  protected async work(): Promise<number> {
    const client = await this.lead();
    if (!client) return 0;
    let relayed = 0;
    try {
      for (let round = 0; !this.closing; round += 1) {
        await placeEvents(client, this.batch);
        const batch = await unpublishedEvents(client, this.batch);
        if (batch.length === 0) break;
        await this.publisher.publish(batch);
        await markPublished(client, batch.map((b) => b.position));
        relayed += batch.length;
        if (batch.length < this.batch) break;
      }
    } catch (err) {
      // The lock's connection may be gone with its primary: give up the lead,
      // and let whichever worker reaches the new primary first take it.
      this.resign();
      throw err;
    }
    return relayed;
  }

  /** The connection holding the lock, taking it if it is free and time to try; null while another relay holds it. */
  private async lead(): Promise<pg.PoolClient | null> {
    if (this.client) return this.client;
    if (Date.now() < this.nextLockAttempt) return null;
    this.nextLockAttempt = Date.now() + this.takeoverMs;
    const client = await (await this.options.db.primary()).connect();
    try {
      const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [RELAY_LOCK_KEY]);
      if (!rows[0]?.locked) {
        client.release();
        return null;
      }
    } catch (err) {
      client.release(true);
      this.options.db.forgetRoles();
      throw err;
    }
    client.on('error', () => this.resign());
    this.client = client;
    this.log.info('this worker is now the active change relay');
    // At once, not at the first event: the front ends' readers wait for the stream to exist.
    await this.publisher.ensureStream();
    return client;
  }

  private resign(): void {
    const client = this.client;
    if (!client) return;
    this.client = null;
    this.options.db.forgetRoles();
    // Destroyed, not returned to the pool: that releases the session lock with the connection.
    client.release(true);
    this.log.warn('no longer the active change relay');
  }

  override async close(): Promise<void> {
    await super.close();
    this.resign();
    await this.publisher.close();
  }
}
