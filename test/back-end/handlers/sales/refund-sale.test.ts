/**
 * Refunds: managers only (a bartender's attempt is refused and audited), a
 * reason always, the whole sale or chosen lines, each a negative entry equal
 * to minus the refunded lines, a line refunded at most once, the sale itself
 * never edited.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  asBartender,
  auditRows,
  countRows,
  createProduct,
  createVenue,
  serving,
  startRig,
  type Caller,
  type Product,
  type Rig,
  type Sale,
  type Venue,
} from '../../../helpers/venue.js';

let rig: Rig;
let venue: Venue;
let bartender: Caller;
let stout: Product;
let toastie: Product;

beforeAll(async () => {
  rig = await startRig();
  venue = await createVenue(rig, 'refunds');
  bartender = await asBartender(venue);
  stout = await createProduct(venue.manager);
  toastie = await createProduct(venue.manager, {
    name: `Toastie ${Date.now()}`,
    category: 'food',
    abv: 0,
    vatClass: 'reduced',
    unitMl: null,
    servings: [{ name: 'Toastie', ml: null, priceCents: 650 }],
  });
});
afterAll(async () => {
  await rig?.close();
});

/**
 * Stout pint ×2: gross 1120, VAT 1120 × 23/123 = 209.43 → 209, net 911.
 * Stout half ×1: gross 300, VAT 300 × 23/123 = 56.10 → 56, net 244.
 * Toastie ×1 at 9%: gross 650, VAT 650 × 9/109 = 53.67 → 54, net 596.
 * Sale: gross 2070, VAT 319, net 1751.
 */
async function threeLineSale(): Promise<Sale> {
  return bartender.call('sales.recordSale', {
    lines: [
      { servingId: serving(stout, 'Pint').id, quantity: 2 },
      { servingId: serving(stout, 'Half').id, quantity: 1 },
      { servingId: serving(toastie, 'Toastie').id, quantity: 1 },
    ],
    payments: [{ method: 'card', amountCents: 2070 }],
  });
}

const amounts = (x: { grossCents: number; vatCents: number; netCents: number }) => ({ grossCents: x.grossCents, vatCents: x.vatCents, netCents: x.netCents });
const lineOf = (sale: Sale, servingId: string) => sale.lines.find((l) => l.servingId === servingId)!;

describe('who may refund', () => {
  it('refuses a bartender with 403, records nothing but an access.denied audit entry', async () => {
    const sale = await threeLineSale();
    const deniedBefore = (await auditRows(rig, venue.venueId, 'access.denied')).length;
    const err = await bartender.error('sales.refundSale', { saleId: sale.id, reason: 'I am not allowed' });
    expect(err).toMatchObject({ code: 'BB_FORBIDDEN', statusCode: 403 });
    expect(await countRows(rig, 'refunds', venue.venueId, { sql: 'AND sale_id = $2', values: [sale.id] })).toBe(0);
    const denied = await auditRows(rig, venue.venueId, 'access.denied');
    expect(denied).toHaveLength(deniedBefore + 1);
    expect(denied.at(-1)).toMatchObject({ staff_id: bartender.staffId, details: { attempted: 'sales.refundSale' } });
  });
});

describe('a refund', () => {
  it('needs a reason', async () => {
    const sale = await threeLineSale();
    await expect(venue.manager.call('sales.refundSale', { saleId: sale.id } as never)).rejects.toMatchObject({ code: 'BB_VALIDATION', statusCode: 400, field: 'reason' });
    for (const reason of ['', ' \t ']) {
      await expect(venue.manager.call('sales.refundSale', { saleId: sale.id, reason })).rejects.toMatchObject({
        code: 'BB_VALIDATION',
        statusCode: 400,
        field: 'reason',
      });
    }
    expect(await countRows(rig, 'refunds', venue.venueId, { sql: 'AND sale_id = $2', values: [sale.id] })).toBe(0);
  });

  it('of the whole sale is minus every line, and leaves the sale as it was', async () => {
    const sale = await threeLineSale();
    expect(amounts(sale)).toEqual({ grossCents: 2070, vatCents: 319, netCents: 1751 });

    const refund = await venue.manager.call('sales.refundSale', { saleId: sale.id, reason: 'Wrong order rung up' });
    expect(refund).toMatchObject({ saleId: sale.id, reason: 'Wrong order rung up', refundedBy: { id: venue.manager.staffId } });
    expect(amounts(refund)).toEqual({ grossCents: -2070, vatCents: -319, netCents: -1751 });
    expect(refund.lines).toHaveLength(3);
    for (const line of sale.lines) {
      const back = refund.lines.find((l) => l.lineId === line.id);
      expect(back).toEqual({ lineId: line.id, quantity: line.quantity, grossCents: -line.grossCents, vatCents: -line.vatCents, netCents: -line.netCents });
    }

    // The sale is not edited: same lines, same amounts, same payments; the refund hangs off it.
    const after = await venue.manager.call('sales.getSale', { id: sale.id });
    expect(amounts(after)).toEqual(amounts(sale));
    expect(after.payments).toEqual(sale.payments);
    expect(after.lines.map(({ refunded: _r, ...rest }) => rest)).toEqual(sale.lines.map(({ refunded: _r, ...rest }) => rest));
    expect(after.lines.every((l) => l.refunded)).toBe(true);
    expect(after.refunds.map((r) => r.id)).toEqual([refund.id]);
    expect(amounts(after.refunds[0]!)).toEqual({ grossCents: -2070, vatCents: -319, netCents: -1751 });
    const db = await rig.primary();
    const stored = await db.query('SELECT gross_cents, vat_cents, net_cents, status FROM tabs WHERE id = $1', [sale.id]);
    expect(stored.rows[0]).toEqual({ gross_cents: 2070, vat_cents: 319, net_cents: 1751, status: 'closed' });

    // The refund is audited with its reason.
    const audit = await db.query<{ staff_id: string; reason: string | null; entity_id: string | null }>(
      "SELECT staff_id, reason, entity_id FROM audit_log WHERE venue_id = $1 AND action LIKE '%refund%' AND (entity_id = $2 OR entity_id = $3)",
      [venue.venueId, sale.id, refund.id],
    );
    expect(audit.rows.length).toBeGreaterThanOrEqual(1);
    expect(audit.rows[0]!.staff_id).toBe(venue.manager.staffId);
    expect(JSON.stringify(audit.rows)).toContain('Wrong order rung up');
  });

  it('of chosen lines is minus those lines only; the rest can be refunded later, nothing twice', async () => {
    const sale = await threeLineSale();
    const pints = lineOf(sale, serving(stout, 'Pint').id);
    const half = lineOf(sale, serving(stout, 'Half').id);
    const food = lineOf(sale, serving(toastie, 'Toastie').id);

    const first = await venue.manager.call('sales.refundSale', { saleId: sale.id, reason: 'Pints were flat', lineIds: [pints.id] });
    // Minus the pints line: −1120, −209, −911.
    expect(amounts(first)).toEqual({ grossCents: -1120, vatCents: -209, netCents: -911 });
    expect(first.lines).toEqual([{ lineId: pints.id, quantity: 2, grossCents: -1120, vatCents: -209, netCents: -911 }]);

    // The same line again, alone or with another: 409, and nothing is recorded.
    for (const lineIds of [[pints.id], [half.id, pints.id]]) {
      await expect(venue.manager.call('sales.refundSale', { saleId: sale.id, reason: 'again', lineIds })).rejects.toMatchObject({
        code: 'BB_ALREADY_REFUNDED',
        statusCode: 409,
      });
    }
    expect(await countRows(rig, 'refunds', venue.venueId, { sql: 'AND sale_id = $2', values: [sale.id] })).toBe(1);

    // "The whole sale" now means what is left: the half and the toastie.
    // −(300 + 650) = −950; VAT −(56 + 54) = −110; net −(244 + 596) = −840.
    const rest = await venue.manager.call('sales.refundSale', { saleId: sale.id, reason: 'Customer left' });
    expect(amounts(rest)).toEqual({ grossCents: -950, vatCents: -110, netCents: -840 });
    expect(rest.lines.map((l) => l.lineId).sort()).toEqual([half.id, food.id].sort());

    // Nothing left to refund.
    await expect(venue.manager.call('sales.refundSale', { saleId: sale.id, reason: 'third time' })).rejects.toMatchObject({
      code: 'BB_ALREADY_REFUNDED',
      statusCode: 409,
    });
    const after = await venue.manager.call('sales.getSale', { id: sale.id });
    expect(amounts(after)).toEqual({ grossCents: 2070, vatCents: 319, netCents: 1751 });
    expect(after.refunds).toHaveLength(2);
    // Refunds add up to minus the sale.
    const total = after.refunds.reduce((t, r) => t + r.grossCents, 0);
    expect(total).toBe(-2070);
    expect(await countRows(rig, 'refund_lines', venue.venueId)).toBeGreaterThanOrEqual(3);
  });

  it('refuses a line id that is not on the sale, as not found', async () => {
    const sale = await threeLineSale();
    const other = await threeLineSale();
    const err = await venue.manager.error('sales.refundSale', { saleId: sale.id, reason: 'mixed up', lineIds: [other.lines[0]!.id] });
    expect(err).toMatchObject({ code: 'BB_NOT_FOUND', statusCode: 404 });
    expect(await countRows(rig, 'refunds', venue.venueId, { sql: 'AND sale_id = ANY($2::uuid[])', values: [[sale.id, other.id]] })).toBe(0);
  });
});

describe('how the money goes back (method)', () => {
  it("defaults to the sale's method when it was paid one way, and is required (400 naming method) for a split sale", async () => {
    const card = await threeLineSale();
    const byDefault = await venue.manager.call('sales.refundSale', { saleId: card.id, reason: 'Wrong table', lineIds: [lineOf(card, serving(toastie, 'Toastie').id).id] });
    expect(byDefault.method).toBe('card');
    const chosen = await venue.manager.call('sales.refundSale', { saleId: card.id, reason: 'Flat', method: 'cash' });
    expect(chosen.method).toBe('cash');
    expect((await venue.manager.call('sales.getSale', { id: card.id })).refunds.map((r) => r.method)).toEqual(['card', 'cash']);

    const split = await bartender.call('sales.recordSale', {
      lines: [{ servingId: serving(stout, 'Pint').id, quantity: 1 }],
      payments: [
        { method: 'cash', amountCents: 300 },
        { method: 'card', amountCents: 260 },
      ],
    });
    const err = await venue.manager.error('sales.refundSale', { saleId: split.id, reason: 'Spilt' });
    expect(err).toMatchObject({ code: 'BB_VALIDATION', statusCode: 400, field: 'method' });
    expect(await countRows(rig, 'refunds', venue.venueId, { sql: 'AND sale_id = $2', values: [split.id] })).toBe(0);
    await expect(venue.manager.call('sales.refundSale', { saleId: split.id, reason: 'Spilt', method: 'other' })).resolves.toMatchObject({ method: 'other', grossCents: -560 });
  });
});
