/**
 * Low-stock alerts (issue 16, migration 0013): the fold compares each folded
 * product's stock on hand with its par and emits stock.belowPar /
 * stock.backToPar once per crossing, however the stock moved and however many
 * sales run at once, and the worker's relay publishes them within a second.
 * Sales go through the real broker and two workers; stock is raised through
 * stock_moves (there is no delivery action yet), as a delivery will.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { validateEventData } from '@barback/messaging';
import { createProduct, createVenue, serving, startRig, stockUnits, type Product, type Rig, type Venue } from '../../helpers/venue.js';
import { eventsOfType, venueOutbox, waitForPublished, type StoredEvent } from '../../helpers/events.js';

let rig: Rig;
let venue: Venue;

beforeAll(async () => {
  rig = await startRig(2);
  venue = await createVenue(rig, 'par-crossings');
});
afterAll(async () => {
  await rig?.close();
});

/** A pint of a 50 l keg, in stock units. */
const PINT = 568 / 50_000;
/** fold_stock_moves()'s advisory lock (migrations 0006, 0013). */
const FOLD_LOCK_KEY = 6153845011;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function sellPints(product: Product, pints: number) {
  return venue.manager.call('sales.recordSale', {
    lines: [{ servingId: serving(product, 'Pint').id, quantity: pints }],
    payments: [{ method: 'card', amountCents: 560 * pints }],
  });
}

/** Stock in through stock_moves, as a delivery will append it; then a worker folds, as after any write. */
async function addStock(product: Product, units: number): Promise<void> {
  await (await rig.primary()).query('INSERT INTO stock_moves (venue_id, product_id, units) VALUES ($1, $2, $3)', [venue.venueId, product.id, units]);
  rig.workers[0]!.stockFolder.soon();
}

/** The product's stock events, oldest first. */
async function stockEvents(product: Product): Promise<StoredEvent[]> {
  const all = await venueOutbox(await rig.primary(), venue.venueId);
  return all.filter((e) => e.type.startsWith('stock.') && e.aggregateId === product.id);
}

/** Until every move of the product is folded and no fold is still committing. */
async function settled(product: Product): Promise<void> {
  const pool = await rig.primary();
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM stock_moves WHERE product_id = $1', [product.id]);
    if (rows[0]!.n === 0) break;
    if (Date.now() > deadline) throw new Error(`${rows[0]!.n} moves of ${product.name} still unfolded`);
    await sleep(50);
  }
  await pool.query('SELECT pg_advisory_lock($1), pg_advisory_unlock($1)', [FOLD_LOCK_KEY]);
}

/** Waits for the product's stock events to number `count`, then for a while longer to catch any extra. */
async function awaitStockEvents(product: Product, count: number): Promise<StoredEvent[]> {
  const deadline = Date.now() + 10_000;
  while ((await stockEvents(product)).length < count && Date.now() < deadline) await sleep(25);
  await settled(product);
  // Past one more fold's delay, so an event a late fold would add is seen.
  await sleep(400);
  return stockEvents(product);
}

async function belowParState(product: Product): Promise<boolean> {
  const { rows } = await (await rig.primary()).query<{ below_par: boolean }>('SELECT below_par FROM stock_levels WHERE product_id = $1', [product.id]);
  return rows[0]!.below_par;
}

/** A product at par 2 with `units` on hand, its backToPar (from the empty start) already emitted. */
async function stockedProduct(units: number, overrides: Parameters<typeof createProduct>[1] = {}): Promise<Product> {
  const product = await createProduct(venue.manager, { parUnits: 2, ...overrides });
  expect(await belowParState(product)).toBe(true);
  await addStock(product, units);
  const events = await awaitStockEvents(product, 1);
  expect(events.map((e) => e.type)).toEqual(['stock.backToPar']);
  return product;
}

describe('par crossings', () => {
  it('a new product starts below par without an event; stock raised to par emits stock.backToPar once', async () => {
    const product = await createProduct(venue.manager, { parUnits: 2 });
    expect(await belowParState(product)).toBe(true);
    await sleep(400);
    expect(await stockEvents(product)).toEqual([]);

    await addStock(product, 1.5);
    await settled(product);
    expect(await stockEvents(product)).toEqual([]);

    await addStock(product, 0.5);
    const events = await awaitStockEvents(product, 1);
    expect(events).toHaveLength(1);
    const [back] = events;
    expect(back).toMatchObject({
      type: 'stock.backToPar',
      venueId: venue.venueId,
      aggregateType: 'product',
      aggregateId: product.id,
      version: 1,
      data: { productId: product.id, name: product.name, stockUnits: 2, parUnits: 2 },
    });
    expect(validateEventData('stock.backToPar', back!.data)).toBeNull();
    expect(await belowParState(product)).toBe(false);
  });

  it('a sale taking stock below par emits one stock.belowPar, published within a second; more sales below par emit nothing', async () => {
    const product = await stockedProduct(2 + 2 * PINT);
    // Down to par exactly: at par is not below it.
    await sellPints(product, 2);
    expect(await awaitStockEvents(product, 1)).toHaveLength(1);
    expect(await stockUnits(rig, product.id)).toBe(2);
    await sellPints(product, 1);
    const saleDone = Date.now();

    const pool = await rig.primary();
    let below: StoredEvent | undefined;
    while (!below?.published && Date.now() - saleDone < 5_000) {
      below = (await eventsOfType(pool, venue.venueId, 'stock.belowPar')).find((e) => e.aggregateId === product.id);
      if (!below?.published) await sleep(20);
    }
    const latency = Date.now() - saleDone;
    expect(below?.published).toBe(true);
    expect(latency).toBeLessThan(1_000);
    expect(below!.data).toEqual({
      productId: product.id,
      name: product.name,
      stockUnits: expect.closeTo(2 - PINT, 8),
      parUnits: 2,
      orderUnits: 1,
    });
    expect(validateEventData('stock.belowPar', below!.data)).toBeNull();

    // Further below par, in separate folds: nothing more.
    for (let i = 0; i < 3; i += 1) {
      await sellPints(product, 10);
      await settled(product);
    }
    const events = await awaitStockEvents(product, 2);
    expect(events.map((e) => e.type)).toEqual(['stock.backToPar', 'stock.belowPar']);
    expect(await stockUnits(rig, product.id)).toBeCloseTo(2 - 31 * PINT, 8);
  });

  it('order units are par − on hand rounded up to whole stock units', async () => {
    const product = await stockedProduct(5, { parUnits: 4 });
    await addStock(product, -2.3);
    const events = await awaitStockEvents(product, 2);
    expect(events[1]).toMatchObject({ type: 'stock.belowPar', data: { stockUnits: 2.7, parUnits: 4, orderUnits: 2 } });
  });

  it('stock back to par after being below emits stock.backToPar once, and a second fall another stock.belowPar', async () => {
    const product = await stockedProduct(2);
    await sellPints(product, 1);
    await awaitStockEvents(product, 2);
    await addStock(product, 3 * PINT);
    await addStock(product, 1);
    const back = await awaitStockEvents(product, 3);
    expect(back.map((e) => e.type)).toEqual(['stock.backToPar', 'stock.belowPar', 'stock.backToPar']);
    expect(back[2]!.data).toEqual({ productId: product.id, name: product.name, stockUnits: expect.closeTo(3 + 2 * PINT, 8), parUnits: 2 });

    await addStock(product, -2);
    const again = await awaitStockEvents(product, 4);
    expect(again.map((e) => e.type)).toEqual(['stock.backToPar', 'stock.belowPar', 'stock.backToPar', 'stock.belowPar']);
    await waitForPublished(await rig.primary(), venue.venueId);
  });

  it('a par changed through catalogue.updateProduct crosses too: lowered, then raised', async () => {
    const product = await stockedProduct(2.5);
    await venue.manager.call('catalogue.updateProduct', { id: product.id, parUnits: 3 });
    const below = await awaitStockEvents(product, 2);
    expect(below[1]).toMatchObject({ type: 'stock.belowPar', data: { stockUnits: 2.5, parUnits: 3, orderUnits: 1 } });

    // Another edit that leaves par alone checks nothing new.
    await venue.manager.call('catalogue.updateProduct', { id: product.id, unitCostCents: 16_000 });
    expect(await awaitStockEvents(product, 2)).toHaveLength(2);

    await venue.manager.call('catalogue.updateProduct', { id: product.id, parUnits: 1.5 });
    const back = await awaitStockEvents(product, 3);
    expect(back[2]).toMatchObject({ type: 'stock.backToPar', data: { stockUnits: 2.5, parUnits: 1.5 } });
    await waitForPublished(await rig.primary(), venue.venueId);
  });

  it('par 0 never alerts, and setting par to 0 ends an alert', async () => {
    const never = await createProduct(venue.manager, { parUnits: 0 });
    expect(await belowParState(never)).toBe(false);
    await sellPints(never, 4);
    await addStock(never, -3);
    expect(await awaitStockEvents(never, 0)).toEqual([]);

    const product = await createProduct(venue.manager, { parUnits: 2 });
    await venue.manager.call('catalogue.updateProduct', { id: product.id, parUnits: 0 });
    const events = await awaitStockEvents(product, 1);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'stock.backToPar', data: { stockUnits: 0, parUnits: 0 } });
  });

  it('an archived product counts as par 0: archiving ends its alert, restoring brings it back', async () => {
    const product = await stockedProduct(2);
    await sellPints(product, 1);
    await awaitStockEvents(product, 2);
    await venue.manager.call('catalogue.archiveProduct', { id: product.id });
    const archived = await awaitStockEvents(product, 3);
    expect(archived[2]).toMatchObject({ type: 'stock.backToPar', data: { parUnits: 0 } });
    await venue.manager.call('catalogue.restoreProduct', { id: product.id });
    const restored = await awaitStockEvents(product, 4);
    expect(restored[3]).toMatchObject({ type: 'stock.belowPar', data: { stockUnits: expect.closeTo(2 - PINT, 8), parUnits: 2, orderUnits: 1 } });
  });

  it('16 concurrent sales across par through two workers emit exactly one stock.belowPar', async () => {
    const product = await stockedProduct(2 + 5.5 * PINT);
    const pool = await rig.primary();
    // Two rounds: one where every sale's moves pile up for a single fold, one
    // where the workers' own folds run among the sales.
    await Promise.all(Array.from({ length: 16 }, () => sellPints(product, 1)));
    const events = await awaitStockEvents(product, 2);
    expect(events.map((e) => e.type)).toEqual(['stock.backToPar', 'stock.belowPar']);
    const seen = events[1]!.data as { stockUnits: number; parUnits: number; orderUnits: number };
    expect(seen.stockUnits).toBeLessThan(2);
    expect(seen.stockUnits).toBeGreaterThanOrEqual(2 - 10.5 * PINT - 1e-8);
    expect(seen.orderUnits).toBe(Math.ceil(2 - seen.stockUnits));
    expect(await stockUnits(rig, product.id)).toBeCloseTo(2 - 10.5 * PINT, 8);

    // Back over par, then 16 more sales in waves that straddle the folds.
    await addStock(product, 20 * PINT);
    await awaitStockEvents(product, 3);
    await Promise.all(
      Array.from({ length: 16 }, async (_, i) => {
        await sleep((i % 4) * 120);
        await sellPints(product, 1);
      }),
    );
    const after = await awaitStockEvents(product, 4);
    expect(after.map((e) => e.type)).toEqual(['stock.backToPar', 'stock.belowPar', 'stock.backToPar', 'stock.belowPar']);
    expect(await stockUnits(rig, product.id)).toBeCloseTo(2 - 6.5 * PINT, 8);

    const published = await waitForPublished(pool, venue.venueId);
    const ids = published.filter((e) => e.aggregateId === product.id).map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('check_par settles the state in the caller’s own transaction, once', async () => {
    const product = await createProduct(venue.manager, { parUnits: 2 });
    const client = await (await rig.primary()).connect();
    try {
      await client.query('BEGIN');
      // The lock first, then the stock row (the order check_par asks for), as a stocktake would.
      await client.query('SELECT pg_advisory_xact_lock($1)', [FOLD_LOCK_KEY]);
      await client.query('UPDATE stock_levels SET stock_units = 3 WHERE product_id = $1', [product.id]);
      const first = await client.query<{ flips: number }>('SELECT check_par($1, $2) AS flips', [venue.venueId, [product.id]]);
      expect(first.rows[0]!.flips).toBe(1);
      const second = await client.query<{ flips: number }>('SELECT check_par($1, $2) AS flips', [venue.venueId, [product.id]]);
      expect(second.rows[0]!.flips).toBe(0);
      await client.query('COMMIT');
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release();
    }
    const events = await stockEvents(product);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'stock.backToPar', data: { stockUnits: 3, parUnits: 2 } });
  });
});
