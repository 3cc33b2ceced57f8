import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { ChangeReader, type StreamMessage } from '@barback/messaging';
import { loadServices } from '../../helpers/services.js';
import { stoutBar, type StoutBar } from '../../helpers/venue.js';
import { venueOutbox, waitForPublished } from '../../helpers/events.js';
import { startWorker } from '../../helpers/worker.js';

let bar: StoutBar;

beforeAll(async () => {
  bar = await stoutBar('relay', 2);
});

afterAll(async () => {
  await bar.rig.close();
});

const sell = () =>
  bar.bartender.call('sales.recordSale', { lines: [{ servingId: bar.pintId, quantity: 1 }], payments: [{ method: 'cash', amountCents: 560 }] });

/** Reads the whole stream from the start until `done` says it has what it needs. */
async function readStream(done: (seen: StreamMessage[]) => boolean, timeoutMs = 15_000): Promise<StreamMessage[]> {
  const seen: StreamMessage[] = [];
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const reader = new ChangeReader({
    urls: loadServices().amqpUrls,
    log: pino({ level: 'silent' }),
    connectionName: 'relay test',
    from: 'first',
    onMessage: (m) => {
      seen.push(m);
      if (done(seen)) finish();
    },
  });
  reader.start();
  const timer = setTimeout(finish, timeoutMs);
  await finished;
  clearTimeout(timer);
  await reader.stop();
  return seen;
}

describe('the change relay', () => {
  it('is active in exactly one of the workers', () => {
    expect(bar.rig.workers.filter((w) => w.relay.active)).toHaveLength(1);
  });

  it('publishes each committed event to barback.changes once confirmed, in the order it placed them, with its id and position', async () => {
    const sales = [await sell(), await sell(), await sell()];
    const primary = await bar.rig.primary();
    const stored = await waitForPublished(primary, bar.venue.venueId);
    expect(stored.every((e) => e.position !== null)).toBe(true);
    const ids = new Set(stored.map((e) => e.id));
    const mine = (await readStream((seen) => [...ids].every((id) => seen.some((m) => m.event.id === id)))).filter(
      (m) => m.event.venueId === bar.venue.venueId,
    );
    // Each of the venue's events is in the stream, in position order, carrying the position the outbox gave it.
    expect(new Set(mine.map((m) => m.event.id))).toEqual(ids);
    const positions = mine.map((m) => BigInt(m.position));
    expect(positions).toEqual([...positions].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    for (const m of mine) expect(m.position).toBe(stored.find((e) => e.id === m.event.id)!.position);
    const recorded = mine.filter((m) => m.event.type === 'sale.recorded').map((m) => m.event.aggregateId);
    expect(recorded).toEqual(sales.map((s) => s.id));
  });

  it('hands over to another worker when the active one stops, and nothing committed meanwhile is lost', async () => {
    const active = bar.rig.workers.find((w) => w.relay.active)!;
    const standby = bar.rig.workers.find((w) => w !== active)!;
    await active.stop();
    bar.rig.workers.splice(bar.rig.workers.indexOf(active), 1);
    const sale = await sell();
    const primary = await bar.rig.primary();
    // Takeover within RELAY_TAKEOVER_MS (1 s) of the lock's release, then one round.
    const stored = await waitForPublished(primary, bar.venue.venueId, 10_000);
    expect(stored.some((e) => e.type === 'sale.recorded' && e.aggregateId === sale.id)).toBe(true);
    expect(standby.relay.active).toBe(true);
    bar.rig.workers.push(await startWorker());
    expect(bar.rig.workers.filter((w) => w.relay.active)).toHaveLength(1);
  });

  it('gives every message in the stream the position the outbox gave its event', async () => {
    const seen = await readStream((s) => s.length >= 5, 5000);
    expect(seen.length).toBeGreaterThanOrEqual(5);
    for (const m of seen) expect(m.position).toMatch(/^[1-9]\d*$/);
  });

  it('emits nothing for a write that rolls back', async () => {
    const before = (await venueOutbox(await bar.rig.primary(), bar.venue.venueId)).length;
    await expect(
      bar.bartender.call('sales.recordSale', { lines: [{ servingId: bar.pintId, quantity: 1 }], payments: [{ method: 'cash', amountCents: 1 }] }),
    ).rejects.toMatchObject({ statusCode: 400 });
    expect((await venueOutbox(await bar.rig.primary(), bar.venue.venueId)).length).toBe(before);
  });
});
