/**
 * Deliveries from suppliers' e-invoices (issue 18) through the real broker,
 * workers and database: import → map → confirm → stock, cost and purchase
 * VAT, the remembered mapping on the next invoice, a credit note, a supplier
 * proposed as new and created on confirming, the 409s, hostile documents
 * refused with nothing stored, venue isolation and roles. Every figure is
 * worked by hand from the fixtures in test/fixtures/ubl/.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ReplyOf } from '@barback/messaging';
import { emittedDuring, envelope, onlyEvent } from '../../../helpers/emitted.js';
import { asBartender, createProduct, createVenue, stockUnits, stoutBar, type Caller, type Product, type StoutBar, type Venue } from '../../../helpers/venue.js';
import { ublFixture, whitespaceFixture } from '../../domain/ubl/fixtures.js';

type Draft = ReplyOf<'deliveries.importInvoice'>;

let bar: StoutBar;
let primary: pg.Pool;
let other: Venue;
let lager: Product;
let crisps: Product;
let wine: Product;
let tonic: Product;
let supplier: ReplyOf<'suppliers.createSupplier'>;
let draft: Draft;

async function rows(table: 'invoice_drafts' | 'deliveries' | 'supplier_item_mappings', venueId = bar.venue.venueId): Promise<number> {
  const { rows: found } = await primary.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE venue_id = $1`, [venueId]);
  return found[0]!.n;
}

const failing = (d: Draft) => d.checks.filter((c) => !c.ok).map((c) => [c.code, c.position]);

beforeAll(async () => {
  bar = await stoutBar('invoices');
  primary = await bar.rig.primary();
  other = await createVenue(bar.rig, 'invoices-other');
  const stamp = Date.now().toString(36);
  lager = await createProduct(bar.venue.manager, {
    name: `Lager bottle ${stamp}`, category: 'bottle', abv: 4.3, unitMl: 330, unitCostCents: 110, parUnits: 0,
    servings: [{ name: 'Bottle', ml: 330, priceCents: 550 }],
  });
  // Reduced VAT class: 13.5% on the invoice dates in March 2026 (migration 0002).
  crisps = await createProduct(bar.venue.manager, {
    name: `Crisps ${stamp}`, category: 'food', abv: 0, vatClass: 'reduced', unitMl: null, unitCostCents: 37, parUnits: 0,
    servings: [{ name: 'Bag', ml: null, priceCents: 200 }],
  });
  wine = await createProduct(bar.venue.manager, {
    name: `Tempranillo ${stamp}`, category: 'wine', abv: 13, unitMl: 750, unitCostCents: 850, parUnits: 0,
    servings: [{ name: 'Glass', ml: 187.5, priceCents: 800 }],
  });
  tonic = await createProduct(bar.venue.manager, {
    name: `Tonic ${stamp}`, category: 'soft', abv: 0, unitMl: 200, unitCostCents: 50, parUnits: 0,
    servings: [{ name: 'Bottle', ml: 200, priceCents: 250 }],
  });
  // Known by its VAT number written with spaces and in lower case: the match ignores both.
  supplier = await bar.venue.manager.call('suppliers.createSupplier', { name: 'Liffey Valley', vatNumber: 'ie 9876543 w' });
});
afterAll(async () => {
  await bar?.rig.close();
});

describe('import → map → confirm', () => {
  it('imports the keg-and-case invoice as a draft: supplier matched by VAT number, every line shown unmapped, nothing applied', async () => {
    const stockBefore = await stockUnits(bar.rig, bar.stout.id);
    const emitted = await emittedDuring(primary, bar.venue.venueId, () =>
      bar.venue.manager.call('deliveries.importInvoice', { document: ublFixture('keg-and-case-invoice.xml') }),
    );
    draft = emitted.result;
    expect(draft).toMatchObject({
      status: 'draft',
      deliveryId: null,
      kind: 'invoice',
      invoiceNumber: 'LVD-26-0417',
      invoiceDate: '2026-03-10',
      currency: 'EUR',
      supplier: { id: supplier.id, name: 'Liffey Valley', matchedBy: 'vatNumber' },
      documentTotals: { lineExtensionCents: 40_940, taxCents: 9245, payableCents: 50_185 },
      // 70.15 + 19.87 (86.40 × 23% = 19.872) + 2.43: the document's 92.45 to the cent.
      ourTotals: { netCents: 40_940, vatCents: 9245, grossCents: 50_185 },
      importedBy: { id: bar.venue.manager.staffId },
    });
    expect(draft.lines.map((l) => [l.position, l.itemCode, l.gtin, l.quantity, l.unitCode, l.lineNetCents, l.vatRateBp, l.mapping])).toEqual([
      [1, 'LVD-K50-STOUT', '5390000000017', '2', 'C62', 30_500, 2300, null],
      [2, 'LVD-C24-LAGER', null, '3', 'XCS', 8640, 2300, null],
      [3, 'LVD-CRISP-48', null, '1', 'XBX', 1800, 1350, null],
    ]);
    expect(failing(draft)).toEqual([['unmapped', 1], ['unmapped', 2], ['unmapped', 3]]);

    const data = onlyEvent(emitted, { type: 'delivery.invoiceImported', venueId: bar.venue.venueId, aggregateType: 'invoiceDraft', aggregateId: draft.id });
    expect(data).toEqual({
      draftId: draft.id, kind: 'invoice', invoiceNumber: 'LVD-26-0417', invoiceDate: '2026-03-10', supplierId: supplier.id,
      supplierName: 'Liffey Valley', lineCount: 3, unmappedLines: 3, lineExtensionCents: 40_940,
    });
    expect(await rows('deliveries')).toBe(0);
    expect(await stockUnits(bar.rig, bar.stout.id)).toBe(stockBefore);
    expect(await bar.venue.manager.call('deliveries.getInvoiceDraft', { id: draft.id })).toEqual(draft);
  });

  it('refuses to confirm while lines are unmapped, naming them', async () => {
    const err = await bar.venue.manager.error('deliveries.confirmInvoice', { draftId: draft.id });
    expect(err).toMatchObject({ statusCode: 400, field: 'lines', message: 'Lines 1, 2, 3 are not mapped to a product: map or leave out each before confirming.' });
    expect(await rows('deliveries')).toBe(0);
  });

  it('maps the supplier’s items (the keg by GTIN, the case and box by item code) and the draft maps itself', async () => {
    const manager = bar.venue.manager;
    const emitted = await emittedDuring(primary, bar.venue.venueId, () =>
      manager.call('suppliers.mapSupplierItem', { supplierId: supplier.id, gtin: '5390000000017', productId: bar.stout.id, stockUnitsPerItem: 1 }),
    );
    const keg = emitted.result;
    expect(keg).toMatchObject({ supplierId: supplier.id, supplierItemCode: null, gtin: '5390000000017', productId: bar.stout.id, stockUnitsPerItem: 1 });
    expect(onlyEvent(emitted, { type: 'supplier.itemMapped', venueId: bar.venue.venueId, aggregateType: 'supplier', aggregateId: supplier.id })).toEqual(keg);
    // First mapped to the wrong pack size, then again: the second replaces the first.
    await manager.call('suppliers.mapSupplierItem', { supplierId: supplier.id, supplierItemCode: 'LVD-C24-LAGER', productId: lager.id, stockUnitsPerItem: 12 });
    await manager.call('suppliers.mapSupplierItem', { supplierId: supplier.id, supplierItemCode: 'LVD-C24-LAGER', productId: lager.id, stockUnitsPerItem: 24 });
    await manager.call('suppliers.mapSupplierItem', { supplierId: supplier.id, supplierItemCode: 'LVD-CRISP-48', productId: crisps.id, stockUnitsPerItem: 48 });
    expect(await rows('supplier_item_mappings')).toBe(3);

    const mapped = await manager.call('deliveries.getInvoiceDraft', { id: draft.id });
    expect(mapped.lines.map((l) => [l.mapping?.productId, l.mapping?.by, l.mapping?.stockUnitsPerItem, l.stockUnits, l.unitCostCents, l.vatCents])).toEqual([
      [bar.stout.id, 'gtin', 1, 2, 15_250, 7015],
      // 86.40 over 72 bottles: 1.20 each.
      [lager.id, 'itemCode', 24, 72, 120, 1987],
      // 18.00 over 48 bags: 0.375 → 38 cents, half up.
      [crisps.id, 'itemCode', 48, 48, 38, 243],
    ]);
    expect(failing(mapped)).toEqual([]);
  });

  it('confirms: the delivery exactly as recordDelivery records it, stock in, costs updated, purchase VAT as invoiced', async () => {
    const before = await Promise.all([bar.stout, lager, crisps].map((p) => stockUnits(bar.rig, p.id)));
    const emitted = await emittedDuring(primary, bar.venue.venueId, () => bar.venue.manager.call('deliveries.confirmInvoice', { draftId: draft.id }));
    const delivery = emitted.result;
    expect(delivery).toMatchObject({
      supplierId: supplier.id,
      invoiceNumber: 'LVD-26-0417',
      invoiceDate: '2026-03-10',
      kind: 'invoice',
      netCents: 40_940,
      vatCents: 9245,
      grossCents: 50_185,
      lines: [
        { productId: bar.stout.id, quantity: 2, unitCostCents: 15_250, vatRateBp: 2300, netCents: 30_500, vatCents: 7015 },
        { productId: lager.id, quantity: 72, unitCostCents: 120, vatRateBp: 2300, netCents: 8640, vatCents: 1987 },
        { productId: crisps.id, quantity: 48, unitCostCents: 38, vatRateBp: 1350, netCents: 1800, vatCents: 243 },
      ],
    });
    const after = await Promise.all([bar.stout, lager, crisps].map((p) => stockUnits(bar.rig, p.id)));
    expect(after.map((a, i) => a - before[i]!)).toEqual([2, 72, 48]);

    // What recordDelivery emits: the delivery as getDelivery returns it, and each cost that changed.
    expect(emitted.events.map((e) => e.type).sort()).toEqual(['delivery.recorded', 'product.costChanged', 'product.costChanged', 'product.costChanged']);
    const recorded = envelope(emitted, emitted.events.find((e) => e.type === 'delivery.recorded'), {
      type: 'delivery.recorded', venueId: bar.venue.venueId, aggregateType: 'delivery', aggregateId: delivery.id,
    });
    expect(recorded).toEqual(await bar.venue.manager.call('deliveries.getDelivery', { id: delivery.id }));
    expect(emitted.events.find((e) => e.aggregateId === lager.id)?.data).toEqual({ productId: lager.id, name: lager.name, oldUnitCostCents: 110, newUnitCostCents: 120 });
    expect((await bar.venue.manager.call('catalogue.getProduct', { id: bar.stout.id })).unitCostCents).toBe(15_250);

    const confirmed = await bar.venue.manager.call('deliveries.getInvoiceDraft', { id: draft.id });
    expect(confirmed).toMatchObject({ status: 'confirmed', deliveryId: delivery.id });
  });

  it('answers 409 to a second confirm and to importing the same document again, storing nothing', async () => {
    const again = await bar.venue.manager.error('deliveries.confirmInvoice', { draftId: draft.id });
    expect(again).toMatchObject({ statusCode: 409, code: 'BB_CONFLICT', field: 'draftId' });
    const drafts = await rows('invoice_drafts');
    const reimport = await bar.venue.manager.error('deliveries.importInvoice', { document: ublFixture('keg-and-case-invoice.xml') });
    expect(reimport).toMatchObject({ statusCode: 409, field: 'document', message: 'LVD-26-0417 from Liffey Valley is already recorded.' });
    expect(await rows('invoice_drafts')).toBe(drafts);
    expect(await rows('deliveries')).toBe(1);
  });

  it('answers 409 when the number was recorded meanwhile: two drafts of one document, the second confirm refused', async () => {
    const first = await bar.venue.manager.call('deliveries.importInvoice', { document: ublFixture('wrong-total-invoice.xml') });
    const second = await bar.venue.manager.call('deliveries.importInvoice', { document: ublFixture('wrong-total-invoice.xml') });
    // BR-CO-10: the lines add up to 409.40, the document says 409.50.
    expect(failing(first)).toEqual([['BR-CO-10', null]]);
    await bar.venue.manager.call('deliveries.confirmInvoice', { draftId: first.id });
    const err = await bar.venue.manager.error('deliveries.confirmInvoice', { draftId: second.id });
    expect(err).toMatchObject({ statusCode: 409, message: 'LVD-26-0418 from Liffey Valley is already recorded.' });
    expect((await bar.venue.manager.call('deliveries.getInvoiceDraft', { id: second.id })).status).toBe('draft');
  });
});

describe('two confirms at once', () => {
  it('records one delivery: the other waits for the draft and answers 409; a repeated request id answers the first reply', async () => {
    const text = ublFixture('keg-and-case-invoice.xml').replace(/LVD-26-0417/g, 'LVD-26-0450');
    const racing = await bar.venue.manager.call('deliveries.importInvoice', { document: text });
    const deliveries = await rows('deliveries');
    const results = await Promise.allSettled([
      bar.venue.manager.call('deliveries.confirmInvoice', { draftId: racing.id }),
      bar.venue.manager.call('deliveries.confirmInvoice', { draftId: racing.id }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!;
    expect(refused.reason).toMatchObject({ statusCode: 409 });
    expect(await rows('deliveries')).toBe(deliveries + 1);

    const repeat = await bar.venue.manager.call('deliveries.importInvoice', { document: text.replace(/LVD-26-0450/g, 'LVD-26-0451') }, { requestId: 'invoice-repeat-0451' });
    const first = await bar.venue.manager.call('deliveries.confirmInvoice', { draftId: repeat.id }, { requestId: 'confirm-repeat-0451' });
    expect(await bar.venue.manager.call('deliveries.confirmInvoice', { draftId: repeat.id }, { requestId: 'confirm-repeat-0451' })).toEqual(first);
    expect(await rows('deliveries')).toBe(deliveries + 2);
  });
});

describe('the next documents', () => {
  it('maps the supplier’s second invoice by itself, flags the dearer keg, and confirms with a line left out', async () => {
    const next = await bar.venue.manager.call('deliveries.importInvoice', { document: ublFixture('second-keg-invoice.xml') });
    expect(next.lines.map((l) => l.mapping?.productId)).toEqual([bar.stout.id, lager.id, crisps.id]);
    // 170.00 a keg against the last delivery's 152.50: +11.5%.
    expect(next.checks.filter((c) => !c.ok)).toEqual([
      { code: 'priceChange', ok: false, position: 1, message: "Line 1 (Stout 50 L keg): €170.00 per stock unit is +11.5% on the last delivery's €152.50." },
    ]);
    const delivery = await bar.venue.manager.call('deliveries.confirmInvoice', { draftId: next.id, lines: [{ position: 3, drop: true }] });
    expect(delivery.lines.map((l) => [l.productId, l.quantity, l.unitCostCents, l.netCents, l.vatCents])).toEqual([
      [bar.stout.id, 2, 17_000, 34_000, 7820],
      [lager.id, 72, 120, 8640, 1987],
    ]);
    expect([delivery.netCents, delivery.vatCents]).toEqual([42_640, 9807]);
  });

  it('flags a line charged at another rate than its product’s class (and the keg back down 10.3% from 170.00)', async () => {
    const differing = await bar.venue.manager.call('deliveries.importInvoice', { document: ublFixture('differing-rate-invoice.xml') });
    expect(failing(differing)).toEqual([['priceChange', 1], ['classRate', 3]]);
  });

  it('records a credit note for a returned keg: its line mapped for this confirmation, stock out, negative amounts', async () => {
    const note = await bar.venue.manager.call('deliveries.importInvoice', { document: ublFixture('credit-note-returned-keg.xml') });
    // The keg was mapped by GTIN; the credit note gives only the item code, so it is shown unmapped, not guessed.
    expect(note).toMatchObject({ kind: 'creditNote', invoiceNumber: 'LVD-CN-0093', supplier: { id: supplier.id } });
    expect(note.lines[0]?.mapping).toBeNull();
    const before = await stockUnits(bar.rig, bar.stout.id);
    const credit = await bar.venue.manager.call('deliveries.confirmInvoice', {
      draftId: note.id,
      lines: [{ position: 1, productId: bar.stout.id, stockUnitsPerItem: 1 }],
    });
    // 152.50 at 23% = 35.075 → 35.08, half up, negated.
    expect(credit).toMatchObject({ kind: 'creditNote', netCents: -15_250, vatCents: -3508, grossCents: -18_758 });
    expect(await stockUnits(bar.rig, bar.stout.id)).toBe(before - 1);
  });

  it('proposes a supplier it does not know, and confirming creates it; pack sizes by override', async () => {
    const suppliersBefore = (await bar.venue.manager.call('suppliers.listSuppliers', {})).items.length;
    const pack = await bar.venue.manager.call('deliveries.importInvoice', { document: ublFixture('pack-size-invoice.xml') });
    expect(pack.supplier).toEqual({ id: null, name: 'Ballymore Wine Merchants Ltd', vatNumber: 'IE3344556X', matchedBy: null });
    expect((await bar.venue.manager.call('suppliers.listSuppliers', {})).items.length).toBe(suppliersBefore);

    const emitted = await emittedDuring(primary, bar.venue.venueId, () =>
      bar.venue.manager.call('deliveries.confirmInvoice', {
        draftId: pack.id,
        lines: [
          { position: 1, productId: wine.id, stockUnitsPerItem: 6 },
          { position: 2, productId: tonic.id, stockUnitsPerItem: 1 },
        ],
      }),
    );
    const delivery = emitted.result;
    // 2 cases of 6 for 108.00: 12 bottles at 9.00; 48 tonics priced 13.20 per 24: 26.40, 0.55 each.
    expect(delivery.lines.map((l) => [l.productId, l.quantity, l.unitCostCents, l.netCents, l.vatCents])).toEqual([
      [wine.id, 12, 900, 10_800, 2484],
      [tonic.id, 48, 55, 2640, 607],
    ]);
    const created = emitted.events.find((e) => e.type === 'supplier.created');
    expect(created?.data).toMatchObject({ id: delivery.supplierId, name: 'Ballymore Wine Merchants Ltd', vatNumber: 'IE3344556X' });
    expect((await bar.venue.manager.call('deliveries.getInvoiceDraft', { id: pack.id })).supplier).toMatchObject({ id: delivery.supplierId, matchedBy: 'vatNumber' });
  });
});

describe('hostile and broken documents', () => {
  it.each([
    ['xxe-etc-passwd.xml', 'document', /<!DOCTYPE> declaration/],
    ['billion-laughs.xml', 'document', /<!DOCTYPE> declaration/],
    ['html-page.html', 'document', /not well-formed XML/],
    ['order-not-invoice.xml', 'document', /not a UBL Invoice or CreditNote/],
    ['missing-issue-date-invoice.xml', '/Invoice/cbc:IssueDate', /^\/Invoice\/cbc:IssueDate is missing\.$/],
  ])('%s: 400 naming %s, nothing stored, the worker still answering', async (name, field, message) => {
    const drafts = await rows('invoice_drafts');
    const err = await bar.venue.manager.error('deliveries.importInvoice', { document: ublFixture(name) });
    expect(err).toMatchObject({ statusCode: 400, code: 'BB_VALIDATION', field });
    expect(err.message).toMatch(message);
    expect(err.message).not.toContain('root:x:0:0');
    expect(await rows('invoice_drafts')).toBe(drafts);
    await expect(bar.venue.manager.call('system.ping', {})).resolves.toBeDefined();
  });

  it('refuses 3 MB of white space in the contract, naming the document', async () => {
    const err = await bar.venue.manager.error('deliveries.importInvoice', { document: whitespaceFixture() });
    expect(err).toMatchObject({ statusCode: 400, field: 'document' });
  });
});

describe('isolation and roles', () => {
  it('answers another venue’s draft, supplier and product like unknown ones (404)', async () => {
    const o = other.manager;
    expect(await o.error('deliveries.getInvoiceDraft', { id: draft.id })).toMatchObject({ statusCode: 404, field: 'id' });
    expect(await o.error('deliveries.confirmInvoice', { draftId: draft.id })).toMatchObject({ statusCode: 404, field: 'draftId' });
    expect(await o.error('suppliers.mapSupplierItem', { supplierId: supplier.id, supplierItemCode: 'X', productId: bar.stout.id, stockUnitsPerItem: 1 })).toMatchObject({
      statusCode: 404,
      field: 'supplierId',
    });
    const theirs = await o.call('suppliers.createSupplier', { name: 'Liffey Valley', vatNumber: 'IE9876543W' });
    expect(await o.error('suppliers.mapSupplierItem', { supplierId: theirs.id, supplierItemCode: 'X', productId: bar.stout.id, stockUnitsPerItem: 1 })).toMatchObject({
      statusCode: 404,
      field: 'productId',
    });
    // Their own import of the same document is theirs alone: matched to their supplier, nothing of ours mapped, not a 409.
    const theirDraft = await o.call('deliveries.importInvoice', { document: ublFixture('keg-and-case-invoice.xml') });
    expect(theirDraft.supplier.id).toBe(theirs.id);
    expect(theirDraft.lines.every((l) => l.mapping === null)).toBe(true);
    // An override naming our product is refused by the line's field.
    expect(await o.error('deliveries.confirmInvoice', { draftId: theirDraft.id, lines: [1, 2, 3].map((position) => ({ position, productId: bar.stout.id })) })).toMatchObject({
      statusCode: 404,
      field: 'lines.0.productId',
    });
    expect(await rows('deliveries', other.venueId)).toBe(0);
  });

  it('refuses a bartender every invoice action (403)', async () => {
    const bartender: Caller = await asBartender(bar.venue);
    for (const err of [
      await bartender.error('deliveries.importInvoice', { document: ublFixture('keg-and-case-invoice.xml') }),
      await bartender.error('deliveries.getInvoiceDraft', { id: draft.id }),
      await bartender.error('deliveries.confirmInvoice', { draftId: draft.id }),
      await bartender.error('suppliers.mapSupplierItem', { supplierId: supplier.id, supplierItemCode: 'X', productId: bar.stout.id, stockUnitsPerItem: 1 }),
    ]) {
      expect(err).toMatchObject({ statusCode: 403 });
    }
  });

  it('refuses a mapping with both or neither of code and GTIN, and a pack size finer than a thousandth', async () => {
    const m = bar.venue.manager;
    expect(await m.error('suppliers.mapSupplierItem', { supplierId: supplier.id, productId: bar.stout.id, stockUnitsPerItem: 1 })).toMatchObject({ statusCode: 400, field: 'supplierItemCode' });
    expect(await m.error('suppliers.mapSupplierItem', { supplierId: supplier.id, supplierItemCode: 'A', gtin: '12345678', productId: bar.stout.id, stockUnitsPerItem: 1 })).toMatchObject({
      statusCode: 400,
      field: 'gtin',
    });
    expect(await m.error('suppliers.mapSupplierItem', { supplierId: supplier.id, supplierItemCode: 'A', productId: bar.stout.id, stockUnitsPerItem: 1.0005 })).toMatchObject({
      statusCode: 400,
      field: 'stockUnitsPerItem',
    });
  });
});
