/**
 * The shift routes (operationIds startShift, recordCashMovement, getXReport,
 * closeShift, listZReports, getZReport) over HTTP: a bartender opens with a
 * float, a manager pays out, reads the X, closes with the count (a note
 * required beyond the limit, named by field), and finds the Z in the list
 * and by id; bartenders are refused the reports, another venue gets 404.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ReplyOf } from '@barback/messaging';
import { UNKNOWN_ID, httpBar, quickSale, type HttpBar } from '../../../../helpers/api.js';
import { registerOverHttp } from '../../../../helpers/venue.js';

type Z = ReplyOf<'shifts.closeShift'>;
let bar: HttpBar;

beforeAll(async () => {
  bar = await httpBar();
});
afterAll(async () => {
  await bar?.frontEnd.close();
  await bar?.worker.stop();
});

describe('shifts over HTTP', () => {
  it('opens with a float, pays out, reports, closes with a count and keeps the Z', async () => {
    const m = bar.a.manager;
    const started = await bar.aBartender.post('/api/v1/shifts', { floatCents: 5000 });
    expect(started.statusCode).toBe(201);
    expect((await m.post('/api/v1/shifts', { floatCents: 0 })).statusCode).toBe(409);
    await quickSale(bar.aBartender, bar.aProduct); // a half, €3.00 cash

    expect((await bar.aBartender.post('/api/v1/shifts/current/cash-movements', { kind: 'paid_out', amountCents: 800, reason: 'Milk' })).statusCode).toBe(403);
    const moved = await m.post('/api/v1/shifts/current/cash-movements', { kind: 'paid_out', amountCents: 800, reason: 'Milk' });
    expect(moved.statusCode).toBe(201);
    const badKind = await m.post('/api/v1/shifts/current/cash-movements', { kind: 'stolen', amountCents: 800, reason: 'x' });
    expect(badKind.statusCode).toBe(400);
    expect(badKind.json().error.field).toBe('kind');

    expect((await bar.aBartender.get('/api/v1/shifts/current/x-report')).statusCode).toBe(403);
    const x = await m.get('/api/v1/shifts/current/x-report');
    expect(x.statusCode).toBe(200);
    // 5000 + 300 − 800 = 4500.
    expect(x.json()).toMatchObject({ salesCount: 1, grossCents: 300, paidOutCents: 800, expectedCashCents: 4500 });

    const noNote = await m.post('/api/v1/shifts/current/close', { countedCashCents: 3900 });
    expect(noNote.statusCode).toBe(400);
    expect(noNote.json().error.field).toBe('note');
    const negative = await m.post('/api/v1/shifts/current/close', { countedCashCents: -1 });
    expect(negative.statusCode).toBe(400);
    expect(negative.json().error.field).toBe('countedCashCents');
    const closed = await m.post('/api/v1/shifts/current/close', { countedCashCents: 3900, note: 'Short: milk money twice' }, { headers: { 'idempotency-key': 'close-once' } });
    expect(closed.statusCode).toBe(200);
    const z = closed.json<Z>();
    expect(z).toMatchObject({ number: 1, expectedCashCents: 4500, countedCashCents: 3900, overShortCents: -600, note: 'Short: milk money twice' });
    // A repeat of the same request gets the same Z back; nothing closes twice.
    const again = await m.post('/api/v1/shifts/current/close', { countedCashCents: 3900, note: 'Short: milk money twice' }, { headers: { 'idempotency-key': 'close-once' } });
    expect(again.json()).toEqual(z);
    expect((await m.post('/api/v1/shifts/current/close', { countedCashCents: 3900, note: 'again' })).statusCode).toBe(409);

    const list = await m.get('/api/v1/z-reports?limit=10');
    expect(list.json()).toEqual({ items: [z], nextCursor: null });
    expect((await m.get(`/api/v1/z-reports/${z.id}`)).json()).toEqual(z);
    expect((await bar.aBartender.get(`/api/v1/z-reports/${z.id}`)).statusCode).toBe(403);
    expect((await m.get(`/api/v1/z-reports/${UNKNOWN_ID}`)).statusCode).toBe(404);
    const other = await registerOverHttp(bar.frontEnd, 'http-z-other');
    expect((await other.manager.get(`/api/v1/z-reports/${z.id}`)).statusCode).toBe(404);
    expect((await other.manager.get('/api/v1/shifts/current/x-report')).statusCode).toBe(404);
  });
});
