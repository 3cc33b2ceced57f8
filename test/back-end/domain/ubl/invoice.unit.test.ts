/**
 * Reading UBL 2.1 documents (issue 18): the fixtures the project wrote,
 * every amount read exactly, and hostile or broken documents refused with a
 * 400 naming what is wrong, fast and without touching the file system.
 */
import { describe, expect, it } from '@jest/globals';
import { decimalText, roundHalfUp, scaledDecimal } from '../../../../back-end/src/domain/ubl/decimal.js';
import { parseUblDocument } from '../../../../back-end/src/domain/ubl/invoice.js';
import { decodeReferences } from '../../../../back-end/src/domain/ubl/xml.js';
import { ublFixture, whitespaceFixture } from './fixtures.js';

function refusal(text: string): { statusCode?: number; code?: string; field?: string; message: string } {
  try {
    parseUblDocument(text);
  } catch (err) {
    return err as { statusCode?: number; code?: string; field?: string; message: string };
  }
  throw new Error('the document was accepted');
}

describe('exact decimals', () => {
  it.each([
    ['152.50', 2, 15250n],
    ['0.3', 2, 30n],
    ['1.500', 2, 150n],
    ['-0.05', 2, -5n],
    ['007', 0, 7n],
    ['90.022', 2, null],
    ['1e3', 2, null],
    ['12,50', 2, null],
    ['', 2, null],
    ['0x10', 2, null],
  ])('%s at scale %i → %s', (text, scale, expected) => {
    expect(scaledDecimal(text, scale)).toBe(expected);
  });

  it('rounds half away from zero and prints back without float drift', () => {
    expect(roundHalfUp(90_022n, 1000n)).toBe(90n);
    expect(roundHalfUp(3_507_500n, 100_000n)).toBe(35n); // 35.075 → 35 at this scale; the cent rounding is tested below
    expect(roundHalfUp(35_075n, 10n)).toBe(3508n); // 3507.5 → 3508
    expect(roundHalfUp(-35_075n, 10n)).toBe(-3508n);
    expect(decimalText(12_345n, 3)).toBe('12.345');
    expect(decimalText(-5n, 2)).toBe('-0.05');
    expect(decimalText(24_000n, 3)).toBe('24');
  });

  it('decodes the predefined entities and character references, and nothing else', () => {
    expect(decodeReferences('The Tap &amp; Snug &#233;&#x2019; &lt;b&gt;')).toBe('The Tap & Snug é’ <b>');
    expect(decodeReferences('&xxe; &#0; &#xD800;')).toBe('&xxe; &#0; &#xD800;');
  });
});

describe('parseUblDocument', () => {
  it('reads the keg-and-case invoice: supplier, number, date, lines, codes, GTIN, units, prices and totals in exact cents', () => {
    const doc = parseUblDocument(ublFixture('keg-and-case-invoice.xml'));
    expect(doc).toMatchObject({
      kind: 'invoice',
      number: 'LVD-26-0417',
      issueDate: '2026-03-10',
      currency: 'EUR',
      // The registered name wins over the trading name; the VAT number without its spaces.
      supplier: { name: 'Liffey Valley Drinks Ltd', vatNumber: 'IE9876543W' },
      totals: {
        lineExtensionCents: 40_940,
        taxExclusiveCents: 40_940,
        taxInclusiveCents: 50_185,
        payableCents: 50_185,
        taxCents: 9245,
        vat: [
          { category: 'S', rateBp: 2300, taxableCents: 39_140, taxCents: 9002 },
          { category: 'S', rateBp: 1350, taxableCents: 1800, taxCents: 243 },
        ],
      },
    });
    expect(doc.lines).toEqual([
      {
        position: 1, lineId: '1', itemCode: 'LVD-K50-STOUT', gtin: '5390000000017', name: 'Stout 50 L keg',
        quantity: '2', unitCode: 'C62', price: '152.5', baseQuantity: '1', lineNetCents: 30_500, vatCategory: 'S', vatRateBp: 2300,
      },
      {
        position: 2, lineId: '2', itemCode: 'LVD-C24-LAGER', gtin: null, name: 'Lager 330 ml bottle, case of 24',
        quantity: '3', unitCode: 'XCS', price: '28.8', baseQuantity: '1', lineNetCents: 8640, vatCategory: 'S', vatRateBp: 2300,
      },
      {
        position: 3, lineId: '3', itemCode: 'LVD-CRISP-48', gtin: null, name: 'Sea salt crisps, box of 48 bags',
        quantity: '1', unitCode: 'XBX', price: '18', baseQuantity: '1', lineNetCents: 1800, vatCategory: 'S', vatRateBp: 1350,
      },
    ]);
  });

  it('reads a credit note whatever its namespace prefixes (cn:, a:, b:)', () => {
    const doc = parseUblDocument(ublFixture('credit-note-returned-keg.xml'));
    expect(doc).toMatchObject({ kind: 'creditNote', number: 'LVD-CN-0093', issueDate: '2026-03-17', supplier: { vatNumber: 'IE9876543W' } });
    expect(doc.lines).toEqual([expect.objectContaining({ itemCode: 'LVD-K50-STOUT', quantity: '1', lineNetCents: 15_250, vatRateBp: 2300 })]);
    expect(doc.totals.vat).toEqual([{ category: 'S', rateBp: 2300, taxableCents: 15_250, taxCents: 3508 }]);
  });

  it('reads a pack-size line priced per base quantity, and a GTIN-only line', () => {
    const doc = parseUblDocument(ublFixture('pack-size-invoice.xml'));
    expect(doc.supplier).toEqual({ name: 'Ballymore Wine Merchants Ltd', vatNumber: 'IE3344556X' });
    expect(doc.lines.map((l) => [l.lineId, l.itemCode, l.gtin, l.quantity, l.unitCode, l.price, l.baseQuantity, l.lineNetCents])).toEqual([
      ['10', null, '5391111111114', '2', 'XCS', '54', '1', 10_800],
      ['20', 'BWM-TONIC-200', null, '48', 'C62', '13.2', '24', 2640],
    ]);
  });

  it('reads the wrong-total and differing-rate fixtures as documents (their problems are checks, not refusals)', () => {
    expect(parseUblDocument(ublFixture('wrong-total-invoice.xml')).totals.lineExtensionCents).toBe(40_950);
    expect(parseUblDocument(ublFixture('differing-rate-invoice.xml')).lines[2]?.vatRateBp).toBe(2300);
  });

  it.each([
    ['xxe-etc-passwd.xml', /<!DOCTYPE> declaration/],
    ['billion-laughs.xml', /<!DOCTYPE> declaration/],
    ['html-page.html', /not well-formed XML/],
    ['order-not-invoice.xml', /not a UBL Invoice or CreditNote: its root element is <Order>/],
  ])('refuses %s with a 400 naming the document', (name, message) => {
    const err = refusal(ublFixture(name));
    expect(err).toMatchObject({ statusCode: 400, code: 'BB_VALIDATION', field: 'document' });
    expect(err.message).toMatch(message);
    // Nothing was read from the file system, and nothing expanded.
    expect(err.message).not.toMatch(/root:/);
  });

  it('refuses 3 MB of white space by its size, naming the limit', () => {
    const err = refusal(whitespaceFixture());
    expect(err).toMatchObject({ statusCode: 400, field: 'document', message: 'The document is 3.0 MB; the limit is 2 MB.' });
  });

  it('refuses an entity declared without a DOCTYPE, an Invoice in the wrong namespace, nesting past 64 and a prototype-polluting name', () => {
    const good = ublFixture('keg-and-case-invoice.xml');
    expect(refusal(good.replace('<cbc:ID>LVD', '<!ENTITY a "b"><cbc:ID>LVD')).message).toMatch(/<!ENTITY> declaration/);
    expect(refusal(good.replace('xsd:Invoice-2"', 'xsd:Invoice-1"')).message).toMatch(/not in the UBL 2.1 namespace/);
    const deep = `<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}</Invoice>`;
    expect(refusal(deep)).toMatchObject({ statusCode: 400, field: 'document' });
    expect(refusal(good.replace('<cbc:ID>LVD', '<cbc:__proto__>x</cbc:__proto__><cbc:ID>LVD'))).toMatchObject({ statusCode: 400, field: 'document' });
    expect(refusal('')).toMatchObject({ statusCode: 400, message: 'The document is empty.' });
  });

  it('refuses 2 MB of empty elements or of attributes by counting, before any parsing (the message is the count’s, not the parser’s)', () => {
    const root = (inner: string) => `<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">${inner}</Invoice>`;
    expect(refusal(root('<a/>'.repeat(500_000)))).toMatchObject({ statusCode: 400, field: 'document', message: 'The document has more than 40,000 tags; an invoice of 200 lines needs far fewer.' });
    const attributes = Array.from({ length: 100_000 }, (_, i) => `x${i}="1"`).join(' ');
    expect(refusal(root(`<a ${attributes}/>`))).toMatchObject({ statusCode: 400, message: 'The document has more than 20,000 attributes; an invoice of 200 lines needs far fewer.' });
    // 200 lines, the most an import takes, are well inside both.
    const good = ublFixture('keg-and-case-invoice.xml');
    const line = /<cac:InvoiceLine>[\s\S]*?<\/cac:InvoiceLine>/.exec(good)![0];
    expect(parseUblDocument(good.replace(line, line.repeat(198))).lines).toHaveLength(200);
  });

  it.each([
    ['the issue date', (x: string) => x.replace('<cbc:IssueDate>2026-03-10</cbc:IssueDate>', ''), '/Invoice/cbc:IssueDate'],
    ['the number', (x: string) => x.replace('<cbc:ID>LVD-26-0417</cbc:ID>', ''), '/Invoice/cbc:ID'],
    ['a date that is not one', (x: string) => x.replace('2026-03-10</cbc:IssueDate>', '2026-02-30</cbc:IssueDate>'), '/Invoice/cbc:IssueDate'],
    ['the currency', (x: string) => x.replace('<cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>', '<cbc:DocumentCurrencyCode>GBP</cbc:DocumentCurrencyCode>'), '/Invoice/cbc:DocumentCurrencyCode'],
    ['the total', (x: string) => x.replace('<cbc:LineExtensionAmount currencyID="EUR">409.40</cbc:LineExtensionAmount>', ''), '/Invoice/cac:LegalMonetaryTotal/cbc:LineExtensionAmount'],
    ['line 2’s quantity', (x: string) => x.replace('<cbc:InvoicedQuantity unitCode="XCS">3</cbc:InvoicedQuantity>', ''), '/Invoice/cac:InvoiceLine[2]/cbc:InvoicedQuantity'],
    ['line 2’s unit code', (x: string) => x.replace('unitCode="XCS">3<', '>3<'), '/Invoice/cac:InvoiceLine[2]/cbc:InvoicedQuantity/@unitCode'],
    ['line 3’s name', (x: string) => x.replace('<cbc:Name>Sea salt crisps, box of 48 bags</cbc:Name>', ''), '/Invoice/cac:InvoiceLine[3]/cac:Item/cbc:Name'],
    ['line 1’s price', (x: string) => x.replace('<cbc:PriceAmount currencyID="EUR">152.50</cbc:PriceAmount>', ''), '/Invoice/cac:InvoiceLine[1]/cac:Price/cbc:PriceAmount'],
    ['line 1’s VAT rate', (x: string) => x.replace('<cbc:Percent>23</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory>', '<cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory>'), '/Invoice/cac:InvoiceLine[1]/cac:Item/cac:ClassifiedTaxCategory/cbc:Percent'],
    ['an amount with 3 decimals', (x: string) => x.replace('<cbc:LineExtensionAmount currencyID="EUR">18.00</cbc:LineExtensionAmount>', '<cbc:LineExtensionAmount currencyID="EUR">18.005</cbc:LineExtensionAmount>'), '/Invoice/cac:InvoiceLine[3]/cbc:LineExtensionAmount'],
    ['the supplier’s name', (x: string) => x.replace('<cac:PartyName><cbc:Name>Liffey Valley Drinks</cbc:Name></cac:PartyName>', '').replace('<cbc:RegistrationName>Liffey Valley Drinks Ltd</cbc:RegistrationName>', ''), '/Invoice/cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName'],
    ['every line', (x: string) => x.replace(/<cac:InvoiceLine>[\s\S]*<\/cac:InvoiceLine>/, ''), '/Invoice/cac:InvoiceLine'],
  ])('without %s: 400 naming its XPath', (_what, edit, path) => {
    const err = refusal(edit(ublFixture('keg-and-case-invoice.xml')));
    expect(err).toMatchObject({ statusCode: 400, code: 'BB_VALIDATION', field: path });
    expect(err.message.startsWith(path)).toBe(true);
  });

  it('names the missing issue date of the fixture without one, and a credit note’s paths by its own root', () => {
    expect(refusal(ublFixture('missing-issue-date-invoice.xml'))).toMatchObject({ field: '/Invoice/cbc:IssueDate', message: '/Invoice/cbc:IssueDate is missing.' });
    const credit = ublFixture('credit-note-returned-keg.xml').replace('<b:CreditedQuantity unitCode="C62">1</b:CreditedQuantity>', '');
    expect(refusal(credit)).toMatchObject({ field: '/CreditNote/cac:CreditNoteLine[1]/cbc:CreditedQuantity' });
  });
});
