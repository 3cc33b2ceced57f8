/**
 * A write's request id makes it happen once (runWrite() in
 * back-end/src/dispatch.ts): copies racing on two workers, replays of till and
 * sales actions, per caller; an id reused for another action is refused, and
 * a refused first attempt leaves the id free.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RpcClient } from '@barback/messaging';
import type { Worker } from '@barback/back-end';
import {
  tabRowCount,
  stoutBar,
  countRows,
  newAccount,
  refusal,
  stockUnits,
  type Caller,
  type Product,
  type Rig,
  type Venue,
} from '../../helpers/venue.js';

let rig: Rig;
let workers: Worker[];
let client: RpcClient;
const hash = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA';
let venue: Venue;
let bartender: Caller;
let stout: Product;
let pintId: string;
let halfId: string;

beforeAll(async () => {
  // Two workers: replays may land on either.
  ({ rig, venue, bartender, stout, pintId, halfId } = await stoutBar('idempotency', 2));
  ({ workers, client } = rig);
});
afterAll(async () => {
  await rig?.close();
});

const tabRows = (tabId: string) => tabRowCount({ rig, venue }, 'tab_lines', tabId);
const paymentRows = (tabId: string) => tabRowCount({ rig, venue }, 'payments', tabId);

describe('a write sent more than once', () => {
  it('takes effect once even when the copies race on two workers', async () => {
    const account = newAccount('race');
    const requestId = randomUUID();
    const payload = { venueName: account.venueName, name: account.name, email: account.email, passwordHash: hash };
    const replies = await Promise.all(Array.from({ length: 6 }, () => client.call('auth.register', payload, { requestId })));
    const venueIds = new Set(replies.map((r) => r.venue.id));
    expect(venueIds.size).toBe(1);
    const primary = await workers[0]!.db.primary();
    const { rows } = await primary.query('SELECT count(*)::int AS n FROM venues WHERE name = $1', [account.venueName]);
    expect(rows[0].n).toBe(1);
  });

  it('refuses to reuse a request id for a different action', async () => {
    const requestId = randomUUID();
    const account = newAccount('reuse');
    await client.call('auth.register', { venueName: account.venueName, name: account.name, email: account.email, passwordHash: hash }, { requestId });
    await expect(client.call('auth.finishLogin', { email: account.email, client: '192.0.2.1', staffId: null, success: false }, { requestId })).rejects.toMatchObject({
      code: 'BB_CONFLICT',
      statusCode: 409,
    });
  });

  it('does the work again when the first attempt was refused, since nothing was recorded', async () => {
    const account = newAccount('retry');
    const taken = newAccount('taken');
    await client.call('auth.register', { venueName: taken.venueName, name: taken.name, email: taken.email, passwordHash: hash });
    const requestId = randomUUID();
    await expect(
      client.call('auth.register', { venueName: account.venueName, name: account.name, email: taken.email, passwordHash: hash }, { requestId }),
    ).rejects.toMatchObject({ code: 'BB_EMAIL_TAKEN' });
    const ok = await client.call('auth.register', { venueName: account.venueName, name: account.name, email: account.email, passwordHash: hash }, { requestId });
    expect(ok.staff.email).toBe(account.email);
  });
});

describe('replays of the same request', () => {
  it('add a tab line once', async () => {
    const tab = await bartender.call('till.openTab', { name: 'Replay lines' });
    const requestId = randomUUID();
    const first = await bartender.call('till.addTabLine', { tabId: tab.id, servingId: pintId, quantity: 1 }, { requestId });
    const again = await Promise.all([1, 2, 3].map(() => bartender.call('till.addTabLine', { tabId: tab.id, servingId: pintId, quantity: 1 }, { requestId })));
    for (const reply of again) expect(reply).toEqual(first);
    expect(await tabRows(tab.id)).toBe(1);
    expect((await bartender.call('till.getTab', { id: tab.id })).grossCents).toBe(560);
  });

  it('close a tab once and charge once', async () => {
    const tab = await bartender.call('till.openTab', { name: 'Replay close' });
    await bartender.call('till.addTabLine', { tabId: tab.id, servingId: pintId, quantity: 2 });
    const requestId = randomUUID();
    const payments = [
      { method: 'cash' as const, amountCents: 120 },
      { method: 'card' as const, amountCents: 1000 },
    ];
    const replies = await Promise.all([1, 2, 3, 4].map(() => bartender.call('till.closeTab', { tabId: tab.id, payments }, { requestId })));
    for (const reply of replies) expect(reply).toEqual(replies[0]);
    expect(replies[0]!.grossCents).toBe(1120);
    expect(await paymentRows(tab.id)).toBe(2);
    // A replay after the fact still returns the sale, not "already closed".
    expect(await bartender.call('till.closeTab', { tabId: tab.id, payments }, { requestId })).toEqual(replies[0]);
    expect(await paymentRows(tab.id)).toBe(2);
  });

  it('record a quick sale once', async () => {
    const tabsBefore = await countRows(rig, 'tabs', venue.venueId);
    const paymentsBefore = await countRows(rig, 'payments', venue.venueId);
    const stockBefore = await stockUnits(rig, stout.id);
    const requestId = randomUUID();
    const input = { lines: [{ servingId: halfId, quantity: 1 }], payments: [{ method: 'cash' as const, amountCents: 300 }] };
    const replies = await Promise.all([1, 2, 3].map(() => bartender.call('sales.recordSale', input, { requestId })));
    expect(new Set(replies.map((r) => r.id)).size).toBe(1);
    expect(await bartender.call('sales.recordSale', input, { requestId })).toEqual(replies[0]);
    expect(await countRows(rig, 'tabs', venue.venueId)).toBe(tabsBefore + 1);
    expect(await countRows(rig, 'payments', venue.venueId)).toBe(paymentsBefore + 1);
    // One half drawn, not four: 284 / 50 000 = 0.00568 units.
    expect(await stockUnits(rig, stout.id)).toBeCloseTo(stockBefore - 0.00568, 4);
  });

  it('are per caller: another account reusing the id is a new request', async () => {
    const requestId = randomUUID();
    const input = { lines: [{ servingId: halfId, quantity: 1 }], payments: [{ method: 'cash' as const, amountCents: 300 }] };
    const mine = await bartender.call('sales.recordSale', input, { requestId });
    const theirs = await venue.manager.call('sales.recordSale', input, { requestId });
    expect(theirs.id).not.toBe(mine.id);
  });

  it('refuse the id of one action reused for another', async () => {
    const requestId = randomUUID();
    const tab = await bartender.call('till.openTab', { name: 'Reuse' }, { requestId });
    const err = await refusal(bartender.call('till.addTabLine', { tabId: tab.id, servingId: halfId, quantity: 1 }, { requestId }));
    expect(err).toMatchObject({ code: 'BB_CONFLICT', statusCode: 409 });
    expect(await tabRows(tab.id)).toBe(0);
  });
});
