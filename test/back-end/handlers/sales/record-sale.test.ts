/**
 * sales.recordSale (back-end/src/handlers/sales/record-sale.ts): lines and
 * payments in one action; VAT extracted per line from VAT-inclusive prices,
 * rates looked up by the calendar date in the venue's time zone, and the
 * reduced rate's change on 1 July 2026 (expected figures worked out by hand
 * in the comments); and quick sales of the same products at once on two
 * workers, none deadlocking.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  stoutBar,
  countRows,
  createProduct,
  serving,
  stockUnits,
  type Caller,
  type Product,
  type Rig,
  type Venue,
} from '../../../helpers/venue.js';

let rig: Rig;
let venue: Venue;
let bartender: Caller;
let stout: Product;
let pintId: string;
let halfId: string;

beforeAll(async () => {
  // Two workers: sales rung up at once land on both.
  ({ rig, venue, bartender, stout, pintId, halfId } = await stoutBar('record-sale', 2));
});
afterAll(async () => {
  await rig?.close();
});

async function rateAt(vatClass: 'standard' | 'reduced', at: string, timeZone = 'Europe/Dublin'): Promise<number> {
  const db = await rig.primary();
  const { rows } = await db.query<{ rate: number }>('SELECT vat_rate_bp($1, $2::timestamptz, $3) AS rate', [vatClass, at, timeZone]);
  return rows[0]!.rate;
}

async function deadlocks(): Promise<number> {
  const db = await rig.primary();
  const { rows } = await db.query<{ n: string }>('SELECT deadlocks AS n FROM pg_stat_database WHERE datname = current_database()');
  return Number(rows[0]!.n);
}

describe('a quick sale', () => {
  it('records lines and payments in one action, with no tab left open', async () => {
    const sale = await bartender.call('sales.recordSale', {
      lines: [
        { servingId: pintId, quantity: 1 },
        { servingId: halfId, quantity: 2 },
      ],
      // 560 + 2 × 300 = 1160.
      payments: [
        { method: 'card', amountCents: 160 },
        { method: 'cash', amountCents: 1000 },
      ],
    });
    expect(sale.grossCents).toBe(1160);
    expect(sale.lines.map((l) => [l.servingId, l.quantity, l.grossCents]).sort()).toEqual(
      [
        [pintId, 1, 560],
        [halfId, 2, 600],
      ].sort(),
    );
    expect(sale.closedBy.id).toBe(bartender.staffId);
    const read = await bartender.call('sales.getSale', { id: sale.id });
    expect(read.grossCents).toBe(1160);
    expect(read.payments).toHaveLength(2);
    expect((await bartender.call('till.listOpenTabs', {})).items.map((t) => t.id)).not.toContain(sale.id);
    const listed = await bartender.call('sales.listSales', {});
    expect(listed.items.map((s) => s.id)).toContain(sale.id);
  });

  it('replies with exactly what was recorded: lines and payments in the order given, stock drawn per line', async () => {
    const stockBefore = await stockUnits(rig, stout.id);
    const lines = [
      { servingId: halfId, quantity: 1 },
      { servingId: pintId, quantity: 2 },
      { servingId: halfId, quantity: 3 },
      { servingId: pintId, quantity: 1 },
    ];
    // 300 + 1120 + 900 + 560 = 2880.
    const payments = [
      { method: 'other' as const, amountCents: 880 },
      { method: 'card' as const, amountCents: 1000 },
      { method: 'cash' as const, amountCents: 1000 },
    ];
    const sale = await bartender.call('sales.recordSale', { lines, payments, name: '  Table 4  ' });
    expect(sale.lines.map((l) => [l.servingId, l.quantity])).toEqual(lines.map((l) => [l.servingId, l.quantity]));
    expect(sale.payments.map((p) => [p.method, p.amountCents])).toEqual(payments.map((p) => [p.method, p.amountCents]));
    expect(sale).toMatchObject({ name: 'Table 4', grossCents: 2880, refunds: [], closedBy: { id: bartender.staffId, name: bartender.session.staff.name } });
    expect(sale.vatCents + sale.netCents).toBe(2880);
    // Built in the worker from what it wrote, and read back from the database: the same.
    expect(await bartender.call('sales.getSale', { id: sale.id })).toEqual(sale);
    // Half 284 ml × 4 + pint 568 ml × 3 = 2840 ml of a 50 l keg.
    expect(await stockUnits(rig, stout.id)).toBeCloseTo(stockBefore - 2840 / 50_000, 8);
  });

  it('refuses payments that do not match and records nothing', async () => {
    const before = await countRows(rig, 'tabs', venue.venueId);
    await expect(
      bartender.call('sales.recordSale', { lines: [{ servingId: pintId, quantity: 1 }], payments: [{ method: 'cash', amountCents: 500 }] }),
    ).rejects.toMatchObject({ code: 'BB_PAYMENTS_MISMATCH', statusCode: 400 });
    expect(await countRows(rig, 'tabs', venue.venueId)).toBe(before);
  });
});

describe('busy night: quick sales of the same products at once', () => {
  it('rung up in opposite orders on two workers, none deadlocks, and stock is exact', async () => {
    const lager = await createProduct(venue.manager);
    const stout = await createProduct(venue.manager);
    const pint = (p: typeof lager) => serving(p, 'Pint').id;
    const before = await deadlocks();

    const sales = Array.from({ length: 24 }, (_, i) => {
      const lines = [
        { servingId: pint(lager), quantity: 1 },
        { servingId: pint(stout), quantity: 1 },
      ];
      if (i % 2) lines.reverse();
      return venue.manager.call('sales.recordSale', { lines, payments: [{ method: 'card', amountCents: 1120 }] });
    });
    const recorded = await Promise.all(sales);

    expect(recorded).toHaveLength(24);
    expect(await deadlocks()).toBe(before);
    // 24 pints of each: 24 × 568 ml of a 50 l keg.
    expect(await stockUnits(rig, lager.id)).toBeCloseTo((-24 * 568) / 50_000, 8);
    expect(await stockUnits(rig, stout.id)).toBeCloseTo((-24 * 568) / 50_000, 8);
  });
});

describe('VAT rates in force', () => {
  it('switches the reduced rate from 13.5% to 9% at midnight on 1 July 2026, Dublin time', async () => {
    // 22:59:59 UTC on 30 June is 23:59:59 Irish summer time (UTC+1): still 30 June.
    expect(await rateAt('reduced', '2026-06-30T22:59:59Z')).toBe(1350);
    // 23:00:00 UTC is 00:00 on 1 July in Dublin: the new rate.
    expect(await rateAt('reduced', '2026-06-30T23:00:00Z')).toBe(900);
    // The same instant is still 30 June in UTC: the date is the venue's, not the server's.
    expect(await rateAt('reduced', '2026-06-30T23:00:00Z', 'UTC')).toBe(1350);
    expect(await rateAt('reduced', '2026-07-01T12:00:00Z')).toBe(900);
    expect(await rateAt('reduced', '2025-01-15T12:00:00Z')).toBe(1350);
  });

  it('keeps the standard rate at 23% on both sides of the change', async () => {
    expect(await rateAt('standard', '2026-06-30T22:59:59Z')).toBe(2300);
    expect(await rateAt('standard', '2026-06-30T23:00:00Z')).toBe(2300);
  });
});

describe('VAT on a recorded sale', () => {
  it('takes VAT per line, rounded half up, and sums the lines for the totals', async () => {
    const stout = await createProduct(venue.manager, {
      vatClass: 'standard',
      servings: [
        { name: 'Pint', ml: 568, priceCents: 560 },
        { name: 'Half', ml: 284, priceCents: 300 },
      ],
    });
    const lager = await createProduct(venue.manager, { name: `Lager ${stout.name}`, abv: 4.5, servings: [{ name: 'Pint', ml: 568, priceCents: 560 }] });
    const sandwich = await createProduct(venue.manager, {
      name: `Toastie ${stout.name}`,
      category: 'food',
      abv: 0,
      vatClass: 'reduced',
      unitMl: null,
      unitCostCents: 150,
      servings: [{ name: 'Toastie', ml: null, priceCents: 650 }],
    });

    const sale = await venue.manager.call('sales.recordSale', {
      lines: [
        { servingId: serving(stout, 'Pint').id, quantity: 1 },
        { servingId: serving(lager, 'Pint').id, quantity: 1 },
        { servingId: serving(stout, 'Half').id, quantity: 3 },
        { servingId: serving(sandwich, 'Toastie').id, quantity: 2 },
      ],
      payments: [{ method: 'card', amountCents: 3320 }],
    });

    // Recorded now (after 1 July 2026): reduced is 9%, standard 23%.
    expect(Date.parse(sale.closedAt)).toBeGreaterThanOrEqual(Date.parse('2026-06-30T23:00:00Z'));
    const byServing = new Map(sale.lines.map((l) => [l.servingId, l]));
    expect(sale.lines).toHaveLength(4);

    // Stout pint ×1: gross 560; VAT 560 × 2300/12300 = 560 × 23/123 = 12880/123 = 104.72 → 105; net 455.
    expect(byServing.get(serving(stout, 'Pint').id)).toMatchObject({ quantity: 1, unitPriceCents: 560, grossCents: 560, vatRateBp: 2300, vatCents: 105, netCents: 455 });
    // Lager pint ×1: the same, 105 VAT. (The two pints together would give 1120 × 23/123 = 209.43 → 209:
    // VAT is per line, so the sale's VAT is 105 + 105 = 210 for them, not 209.)
    expect(byServing.get(serving(lager, 'Pint').id)).toMatchObject({ quantity: 1, unitPriceCents: 560, grossCents: 560, vatRateBp: 2300, vatCents: 105, netCents: 455 });
    // Stout half ×3: gross 300 × 3 = 900; VAT 900 × 23/123 = 20700/123 = 168.29 → 168; net 732.
    expect(byServing.get(serving(stout, 'Half').id)).toMatchObject({ quantity: 3, unitPriceCents: 300, grossCents: 900, vatRateBp: 2300, vatCents: 168, netCents: 732 });
    // Toastie ×2 (reduced): gross 650 × 2 = 1300; VAT 1300 × 900/10900 = 11700/109 = 107.34 → 107; net 1193.
    expect(byServing.get(serving(sandwich, 'Toastie').id)).toMatchObject({ quantity: 2, unitPriceCents: 650, grossCents: 1300, vatRateBp: 900, vatCents: 107, netCents: 1193 });

    // Totals: gross 560 + 560 + 900 + 1300 = 3320; VAT 105 + 105 + 168 + 107 = 485; net 455 + 455 + 732 + 1193 = 2835.
    expect({ grossCents: sale.grossCents, vatCents: sale.vatCents, netCents: sale.netCents }).toEqual({ grossCents: 3320, vatCents: 485, netCents: 2835 });

    // What was recorded reads back the same.
    const again = await venue.manager.call('sales.getSale', { id: sale.id });
    expect({ grossCents: again.grossCents, vatCents: again.vatCents, netCents: again.netCents }).toEqual({ grossCents: 3320, vatCents: 485, netCents: 2835 });
  });

  it('rounds up from the half cent and above, down below it', async () => {
    const wine = await createProduct(venue.manager, {
      name: `House red ${Date.now()}`,
      category: 'wine',
      abv: 12.5,
      unitMl: 750,
      servings: [
        // 187.5 ml at 12.5%: minimum 187.5 × 0.125 × 0.789 × 10 = 184.9 → 185 cents; both prices are above it.
        { name: 'Glass', ml: 187.5, priceCents: 750 },
        { name: 'Bottle', ml: null, priceCents: 2600 },
      ],
    });
    const sale = await venue.manager.call('sales.recordSale', {
      lines: [
        { servingId: serving(wine, 'Glass').id, quantity: 1 },
        { servingId: serving(wine, 'Bottle').id, quantity: 1 },
      ],
      payments: [
        { method: 'cash', amountCents: 1000 },
        { method: 'card', amountCents: 2350 },
      ],
    });
    const byServing = new Map(sale.lines.map((l) => [l.servingId, l]));
    // Glass: 750 × 23/123 = 17250/123 = 140.24 → 140 (down); net 610.
    expect(byServing.get(serving(wine, 'Glass').id)).toMatchObject({ grossCents: 750, vatCents: 140, netCents: 610 });
    // Bottle: 2600 × 23/123 = 59800/123 = 486.18 → 486 (down); net 2114.
    expect(byServing.get(serving(wine, 'Bottle').id)).toMatchObject({ grossCents: 2600, vatCents: 486, netCents: 2114 });
    // Totals: gross 3350, VAT 626, net 2724.
    expect({ grossCents: sale.grossCents, vatCents: sale.vatCents, netCents: sale.netCents }).toEqual({ grossCents: 3350, vatCents: 626, netCents: 2724 });

    // Above the half: a 99-cent mineral water at 23%: 99 × 23/123 = 2277/123 = 18.51 → 19 (up, where truncation gives 18); net 80.
    const water = await createProduct(venue.manager, {
      name: `Still water ${Date.now()}`,
      category: 'soft',
      abv: 0,
      unitMl: null,
      servings: [{ name: 'Bottle', ml: null, priceCents: 99 }],
    });
    const small = await venue.manager.call('sales.recordSale', {
      lines: [{ servingId: serving(water, 'Bottle').id, quantity: 1 }],
      payments: [{ method: 'cash', amountCents: 99 }],
    });
    expect(small.lines[0]).toMatchObject({ grossCents: 99, vatRateBp: 2300, vatCents: 19, netCents: 80 });
    expect({ grossCents: small.grossCents, vatCents: small.vatCents, netCents: small.netCents }).toEqual({ grossCents: 99, vatCents: 19, netCents: 80 });
  });

  it('charges a reduced-rate item recorded now at 9% and a standard item at 23%', async () => {
    const food = await createProduct(venue.manager, {
      name: `Soup ${Date.now()}`,
      category: 'food',
      abv: 0,
      vatClass: 'reduced',
      unitMl: null,
      servings: [{ name: 'Bowl', ml: null, priceCents: 545 }],
    });
    const cola = await createProduct(venue.manager, {
      name: `Cola ${Date.now()}`,
      category: 'soft',
      abv: 0,
      vatClass: 'standard',
      unitMl: null,
      servings: [{ name: 'Bottle', ml: null, priceCents: 350 }],
    });
    const tab = await venue.manager.call('till.openTab', { name: 'Table 4' });
    await venue.manager.call('till.addTabLine', { tabId: tab.id, servingId: serving(food, 'Bowl').id, quantity: 1 });
    await venue.manager.call('till.addTabLine', { tabId: tab.id, servingId: serving(cola, 'Bottle').id, quantity: 1 });
    const sale = await venue.manager.call('till.closeTab', { tabId: tab.id, payments: [{ method: 'card', amountCents: 895 }] });
    const soup = sale.lines.find((l) => l.productId === food.id)!;
    const drink = sale.lines.find((l) => l.productId === cola.id)!;
    // Soup: 545 × 900/10900 = 4905/109 = 45.0 → 45; net 500.
    expect(soup).toMatchObject({ vatRateBp: 900, grossCents: 545, vatCents: 45, netCents: 500 });
    // Cola: 350 × 23/123 = 8050/123 = 65.45 → 65; net 285.
    expect(drink).toMatchObject({ vatRateBp: 2300, grossCents: 350, vatCents: 65, netCents: 285 });
    expect({ grossCents: sale.grossCents, vatCents: sale.vatCents, netCents: sale.netCents }).toEqual({ grossCents: 895, vatCents: 110, netCents: 785 });
  });
});
