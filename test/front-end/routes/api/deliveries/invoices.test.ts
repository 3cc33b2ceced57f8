/**
 * The e-invoice routes (operationIds importInvoice, getInvoiceDraft,
 * mapSupplierItem, confirmInvoice) over HTTP: the document as XML
 * (application/xml, text/xml) or JSON {document}, size limits answered 400
 * naming the document (never 413 or 5xx), other bodies 415, roles and CSRF.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ReplyOf } from '@barback/messaging';
import { UNKNOWN_ID, createProductOverHttp, httpBar, type HttpBar } from '../../../../helpers/api.js';
import type { HttpClient } from '../../../../helpers/app.js';
import { ublFixture, whitespaceFixture } from '../../../../back-end/domain/ubl/fixtures.js';

type Draft = ReplyOf<'deliveries.getInvoiceDraft'>;
let bar: HttpBar;

function postXml(client: HttpClient, payload: string, type = 'application/xml', csrf = true) {
  return client.request({ method: 'POST', url: '/api/v1/deliveries/invoices', payload, headers: { 'content-type': type }, csrf });
}

beforeAll(async () => {
  bar = await httpBar();
});
afterAll(async () => {
  await bar?.frontEnd.close();
  await bar?.worker.stop();
});

describe('importing over HTTP', () => {
  it('takes the XML as the body, maps a line through the supplier route, and confirms', async () => {
    const m = bar.a.manager;
    const res = await postXml(m, ublFixture('pack-size-invoice.xml'), 'text/xml; charset=utf-8');
    expect(res.statusCode).toBe(201);
    const draft = res.json<Draft>();
    expect(draft).toMatchObject({ status: 'draft', invoiceNumber: 'BWM/2026/00311', supplier: { id: null, name: 'Ballymore Wine Merchants Ltd' } });
    expect((await m.get(`/api/v1/deliveries/invoices/${draft.id}`)).json()).toEqual(draft);

    const wine = await createProductOverHttp(m, { name: `Wine ${Date.now()}`, category: 'wine', unitMl: 750, servings: [{ name: 'Glass', ml: 187.5, priceCents: 800 }] });
    // Unmapped lines: refused by name.
    const refused = await m.post(`/api/v1/deliveries/invoices/${draft.id}/confirm`, {});
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ error: { field: 'lines', message: expect.stringContaining('Lines 1, 2 are not mapped') } });
    const confirmed = await m.post(`/api/v1/deliveries/invoices/${draft.id}/confirm`, {
      lines: [
        { position: 1, productId: wine.id, stockUnitsPerItem: 6 },
        { position: 2, drop: true },
      ],
    });
    expect(confirmed.statusCode).toBe(201);
    const delivery = confirmed.json<ReplyOf<'deliveries.confirmInvoice'>>();
    expect(delivery).toMatchObject({ invoiceNumber: 'BWM/2026/00311', netCents: 10_800, vatCents: 2484, lines: [{ productId: wine.id, quantity: 12, unitCostCents: 900 }] });
    expect((await m.post(`/api/v1/deliveries/invoices/${draft.id}/confirm`, {})).statusCode).toBe(409);

    // The supplier now exists: its item is remembered through the supplier route, and the next document maps itself.
    const mapped = await m.request({
      method: 'PUT',
      url: `/api/v1/suppliers/${delivery.supplierId}/item-mappings`,
      payload: { gtin: '5391111111114', productId: wine.id, stockUnitsPerItem: 6 },
      csrf: true,
    });
    expect(mapped.statusCode).toBe(200);
    expect(mapped.json()).toMatchObject({ supplierId: delivery.supplierId, gtin: '5391111111114', supplierItemCode: null, stockUnitsPerItem: 6 });
    const next = await m.post('/api/v1/deliveries/invoices', { document: ublFixture('pack-size-invoice.xml').replace('BWM/2026/00311', 'BWM/2026/00350') });
    expect(next.statusCode).toBe(201);
    expect(next.json<Draft>().lines[0]?.mapping).toMatchObject({ productId: wine.id, by: 'gtin', stockUnitsPerItem: 6 });
  });

  it('answers a document over 2 MB with 400 naming the document and the limit, as XML or as JSON, never 413', async () => {
    const m = bar.a.manager;
    for (const res of [await postXml(m, whitespaceFixture()), await m.post('/api/v1/deliveries/invoices', { document: whitespaceFixture() })]) {
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error: { field: 'document', message: expect.stringMatching(/the limit is 2 MB/) } });
    }
    // Far past the limit: refused without reading it all.
    const huge = await postXml(m, `<Invoice>${' '.repeat(20 * 1024 * 1024)}</Invoice>`);
    expect(huge.statusCode).toBe(400);
    expect(huge.json()).toMatchObject({ error: { field: 'document', message: 'The document is 20.0 MB; the limit is 2 MB.' } });
  });

  it.each([
    ['xxe-etc-passwd.xml', /<!DOCTYPE> declaration/],
    ['billion-laughs.xml', /<!DOCTYPE> declaration/],
    ['html-page.html', /not well-formed XML/],
  ])('answers %s with 400 naming the document', async (name, message) => {
    const res = await postXml(bar.a.manager, ublFixture(name));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'BB_VALIDATION', field: 'document', message: expect.stringMatching(message) } });
  });

  it('names a missing field by its XPath', async () => {
    const res = await postXml(bar.a.manager, ublFixture('missing-issue-date-invoice.xml'));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: { code: 'BB_VALIDATION', field: '/Invoice/cbc:IssueDate', message: '/Invoice/cbc:IssueDate is missing.' } });
  });

  it('refuses other bodies (415), XML on other routes (415), a bartender (403), no CSRF token (403) and an unknown draft (404)', async () => {
    const m = bar.a.manager;
    expect((await postXml(m, ublFixture('keg-and-case-invoice.xml'), 'text/plain')).statusCode).toBe(415);
    const elsewhere = await m.request({ method: 'POST', url: '/api/v1/suppliers', payload: '<a/>', headers: { 'content-type': 'application/xml' }, csrf: true });
    expect(elsewhere.statusCode).toBe(415);
    expect((await postXml(bar.aBartender, ublFixture('keg-and-case-invoice.xml'))).statusCode).toBe(403);
    expect((await postXml(m, ublFixture('keg-and-case-invoice.xml'), 'application/xml', false)).statusCode).toBe(403);
    expect((await m.get(`/api/v1/deliveries/invoices/${UNKNOWN_ID}`)).statusCode).toBe(404);
    expect((await m.post('/api/v1/deliveries/invoices', { document: 'x', extra: 1 })).statusCode).toBe(400);
  });
});
