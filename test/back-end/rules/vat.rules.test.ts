/**
 * VAT: extracted per line from VAT-inclusive prices, rates looked up by the
 * calendar date in the venue's time zone, and the reduced rate's change on
 * 1 July 2026. Expected figures are worked out by hand in the comments.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createProduct, createVenue, serving, startRig, type Rig, type Venue } from '../../helpers/venue.js';

let rig: Rig;
let venue: Venue;

beforeAll(async () => {
  rig = await startRig();
  venue = await createVenue(rig, 'vat');
});
afterAll(async () => {
  await rig?.close();
});

async function rateAt(vatClass: 'standard' | 'reduced', at: string, timeZone = 'Europe/Dublin'): Promise<number> {
  const db = await rig.primary();
  const { rows } = await db.query<{ rate: number }>('SELECT vat_rate_bp($1, $2::timestamptz, $3) AS rate', [vatClass, at, timeZone]);
  return rows[0]!.rate;
}

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
