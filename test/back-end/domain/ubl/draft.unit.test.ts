/**
 * The draft's arithmetic and checks (issue 18), on the project's own
 * fixtures: stock units from pack sizes, cost per stock unit half up, VAT per
 * line, BR-CO-10, VAT per rate against cac:TaxTotal, a rate that differs from
 * the product's class, a price change over 10%, and what confirming takes.
 */
import { describe, expect, it } from '@jest/globals';
import { draftChecks, draftLines, linesToDeliver, stockUnitsOf, unitCostOf, type LineMapping } from '../../../../back-end/src/domain/ubl/draft.js';
import { parseUblDocument } from '../../../../back-end/src/domain/ubl/invoice.js';
import { ublFixture } from './fixtures.js';

const STOUT = '00000000-0000-7000-8000-000000000001';
const LAGER = '00000000-0000-7000-8000-000000000002';
const CRISPS = '00000000-0000-7000-8000-000000000003';

function mapping(productId: string, productName: string, perItem: bigint, classRateBp: number, lastUnitCostCents: number | null = null): LineMapping {
  return { productId, productName, stockUnitsPerItemThousandths: perItem, by: 'itemCode', classRateBp, lastUnitCostCents };
}

/** The keg invoice's lines mapped: a keg is 1 keg, a case 24 bottles, a box 48 bags. */
function kegMappings(crispsRate = 1350, lastKegCost: number | null = null) {
  return new Map([
    [1, mapping(STOUT, 'Stout', 1000n, 2300, lastKegCost)],
    [2, mapping(LAGER, 'Lager', 24_000n, 2300)],
    [3, mapping(CRISPS, 'Crisps', 48_000n, crispsRate)],
  ]);
}

describe('stock units and cost', () => {
  it('multiplies the quantity by the pack size exactly and shares the net half up', () => {
    expect(stockUnitsOf('3', 24_000n)).toBe(72_000n);
    expect(stockUnitsOf('0.333333', 3000n)).toBe(1000n); // 0.999999 → 1.000
    expect(stockUnitsOf('2.5', 1000n)).toBe(2500n);
    // 86.40 over 72 bottles = 1.2 → 120 cents; 10.00 over 3 = 3.333… → 333; 0.05 over 2 = 2.5 → 3.
    expect(unitCostOf(8640, 72_000n)).toBe(120);
    expect(unitCostOf(1000, 3000n)).toBe(333);
    expect(unitCostOf(5, 2000n)).toBe(3);
    expect(unitCostOf(5, 0n)).toBeNull();
    expect(unitCostOf(-5, 1000n)).toBeNull();
  });
});

describe('draftLines and draftChecks', () => {
  it('a clean keg-and-case invoice: every check passes, per-line VAT adds up to the document’s', () => {
    const doc = parseUblDocument(ublFixture('keg-and-case-invoice.xml'));
    const lines = draftLines(doc, kegMappings());
    expect(lines.map((l) => [l.stockUnitsThousandths, l.unitCostCents, l.vatCents])).toEqual([
      [2000n, 15_250, 7015], // 305.00 × 23% = 70.15
      [72_000n, 120, 1987], // 86.40 × 23% = 19.872 → 19.87
      [48_000n, 38, 243], // 18.00 / 48 = 0.375 → 38 (half up); 18.00 × 13.5% = 2.43
    ]);
    expect(lines.reduce((t, l) => t + l.vatCents, 0)).toBe(doc.totals.taxCents);
    const checks = draftChecks(doc, lines);
    expect(checks.filter((c) => !c.ok)).toEqual([]);
    expect(checks.map((c) => c.code)).toEqual(['BR-CO-10', 'vatRate', 'vatRate']);
  });

  it('flags a total that is not the sum of the lines (BR-CO-10), with both figures', () => {
    const doc = parseUblDocument(ublFixture('wrong-total-invoice.xml'));
    const failed = draftChecks(doc, draftLines(doc, kegMappings())).filter((c) => !c.ok);
    expect(failed).toEqual([
      {
        code: 'BR-CO-10',
        ok: false,
        position: null,
        message: "The line net amounts add up to €409.40 but the document's total (LineExtensionAmount) is €409.50: a difference of −€0.10.",
      },
    ]);
  });

  it('flags a line charged at another rate than its product’s class on the invoice date', () => {
    const doc = parseUblDocument(ublFixture('differing-rate-invoice.xml'));
    const failed = draftChecks(doc, draftLines(doc, kegMappings())).filter((c) => !c.ok);
    expect(failed).toEqual([
      {
        code: 'classRate',
        ok: false,
        position: 3,
        message: "Line 3 (Sea salt crisps, box of 48 bags) charges VAT at 23%, but Crisps's VAT class is at 13.5% on 2026-03-10.",
      },
    ]);
  });

  it('flags VAT per rate that differs from cac:TaxTotal, and a rate the TaxTotal lacks', () => {
    const text = ublFixture('keg-and-case-invoice.xml').replace('<cbc:TaxAmount currencyID="EUR">90.02</cbc:TaxAmount>', '<cbc:TaxAmount currencyID="EUR">90.03</cbc:TaxAmount>');
    const doc = parseUblDocument(text);
    const failed = draftChecks(doc, draftLines(doc, kegMappings())).filter((c) => !c.ok);
    expect(failed.map((c) => c.message)).toEqual(['VAT S at 23%: the document states €90.03 on €391.40; its lines give €90.02 on €391.40.']);
    const noSubtotal = parseUblDocument(ublFixture('keg-and-case-invoice.xml').replace(/<cac:TaxSubtotal>\s*<cbc:TaxableAmount currencyID="EUR">18.00[\s\S]*?<\/cac:TaxSubtotal>/, ''));
    expect(draftChecks(noSubtotal, draftLines(noSubtotal, kegMappings())).filter((c) => !c.ok).map((c) => c.message)).toEqual([
      "VAT S at 13.5%: the lines charge €2.43 on €18.00, but the document's TaxTotal has no subtotal for this rate.",
    ]);
  });

  it('flags a cost per stock unit more than 10% from the last delivery’s, not one within 10%', () => {
    const doc = parseUblDocument(ublFixture('second-keg-invoice.xml'));
    // 170.00 a keg against 152.50: +11.5%.
    expect(draftChecks(doc, draftLines(doc, kegMappings(1350, 15_250))).filter((c) => !c.ok)).toEqual([
      { code: 'priceChange', ok: false, position: 1, message: "Line 1 (Stout 50 L keg): €170.00 per stock unit is +11.5% on the last delivery's €152.50." },
    ]);
    // Against 155.00: +9.7%, within 10%.
    expect(draftChecks(doc, draftLines(doc, kegMappings(1350, 15_500))).filter((c) => !c.ok)).toEqual([]);
  });

  it('shows an unmapped line as unmapped, never guessed', () => {
    const doc = parseUblDocument(ublFixture('keg-and-case-invoice.xml'));
    const lines = draftLines(doc, new Map([[1, mapping(STOUT, 'Stout', 1000n, 2300)]]));
    expect(lines.map((l) => l.mapping?.productId ?? null)).toEqual([STOUT, null, null]);
    expect(draftChecks(doc, lines).filter((c) => c.code === 'unmapped').map((c) => c.position)).toEqual([2, 3]);
  });
});

describe('linesToDeliver', () => {
  const doc = parseUblDocument(ublFixture('keg-and-case-invoice.xml'));

  it('refuses while a line is unmapped, naming the lines; dropping or mapping them by override confirms', () => {
    const lines = draftLines(doc, new Map([[1, mapping(STOUT, 'Stout', 1000n, 2300)]]));
    expect(() => linesToDeliver(lines, [])).toThrow('Lines 2, 3 are not mapped to a product: map or leave out each before confirming.');
    expect(() => linesToDeliver(lines, [{ position: 2, drop: true }])).toThrow('Line 3 is not mapped');
    const { lines: out } = linesToDeliver(lines, [
      { position: 2, drop: true },
      { position: 3, productId: CRISPS, stockUnitsPerItem: 48 },
    ]);
    expect(out).toEqual([
      { position: 1, productId: STOUT, quantityThousandths: 2000n, unitCostCents: 15_250, vatRateBp: 2300, netCents: 30_500 },
      { position: 3, productId: CRISPS, quantityThousandths: 48_000n, unitCostCents: 38, vatRateBp: 1350, netCents: 1800 },
    ]);
  });

  it('refuses an override of a line the document lacks, a bad pack size, and leaving every line out', () => {
    const lines = draftLines(doc, kegMappings());
    expect(() => linesToDeliver(lines, [{ position: 9, drop: true }])).toThrow('the document has no line 9');
    expect(() => linesToDeliver(lines, [{ position: 1, stockUnitsPerItem: 0.0005 }])).toThrow('lines.0.stockUnitsPerItem must be more than 0');
    expect(() => linesToDeliver(lines, [1, 2, 3].map((position) => ({ position, drop: true })))).toThrow('Every line is left out');
  });
});
