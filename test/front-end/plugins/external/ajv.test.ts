/**
 * Route validation (front-end/src/plugins/external/ajv.ts): a JSON body is
 * taken as sent, without coercion, and a field it does not name is refused
 * with its name; query strings are still text turned into numbers and
 * booleans. Each refusal has its control: the same call, well-formed, goes
 * through on the real stack.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { httpBar, pint, type HttpBar } from '../../../helpers/api.js';

let bar: HttpBar;
let tabId: string;

beforeAll(async () => {
  bar = await httpBar();
  const tab = await bar.a.manager.post('/api/v1/tabs', { name: 'Strict' });
  expect(tab.statusCode).toBe(201);
  tabId = tab.json().id;
});

afterAll(async () => {
  await bar?.frontEnd.close();
  await bar?.worker.stop();
});

const line = () => ({ tabId, servingId: pint(bar.aProduct), quantity: 1 });

describe('a JSON body is taken as sent', () => {
  it('the control: a well-formed line goes on the tab', async () => {
    const res = await bar.a.manager.post('/api/v1/tabs/lines', line());
    expect(res.statusCode).toBe(200);
  });

  it.each([
    ['a numeric string for a number', { quantity: '2' }, 'quantity', 'quantity must be a whole number'],
    ['true for a number', { quantity: true }, 'quantity', 'quantity must be a whole number'],
    ['null for a number', { quantity: null }, 'quantity', 'quantity must be a whole number'],
    ['an array of one for a number', { quantity: [2] }, 'quantity', 'quantity must be a whole number'],
    ['an array of one for a string', { tabId: ['x'] }, 'tabId', 'tabId must be a string'],
    ['a number for a string', { servingId: 1 }, 'servingId', 'servingId must be a string'],
    ['an unknown field', { note: 'extra' }, 'note', 'note is not an accepted field'],
    ['a field in the wrong case', { Quantity: 1 }, 'Quantity', 'Quantity is not an accepted field'],
  ])('refuses %s, naming the field', async (_what, change, field, message) => {
    const res = await bar.a.manager.post('/api/v1/tabs/lines', { ...line(), ...change });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: { code: 'BB_VALIDATION', field, message } });
  });

  it('refuses an unknown field however deep, by its whole path', async () => {
    const product = {
      name: 'Strict stout', category: 'draught', abv: 4.2, vatClass: 'standard', unitMl: 50_000, unitCostCents: 9000, parUnits: 2,
      servings: [{ name: 'Pint', ml: 568, priceCents: 560 }],
    };
    expect((await bar.a.manager.post('/api/v1/products', product)).statusCode).toBe(201);
    const res = await bar.a.manager.post('/api/v1/products', { ...product, servings: [{ ...product.servings[0], cost: 1 }] });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toEqual({ code: 'BB_VALIDATION', field: 'servings.0.cost', message: 'servings.0.cost is not an accepted field' });
  });

  it.each([
    ['"true"', 'true'],
    ['1', 1],
    ['null', null],
  ])('refuses %s for true or false', async (_what, value) => {
    const res = await bar.a.manager.request({ method: 'PUT', url: '/api/v1/venue/settings', payload: { bartendersMayVoid: value }, csrf: true });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toEqual({ code: 'BB_VALIDATION', field: 'bartendersMayVoid', message: 'bartendersMayVoid must be true or false' });
    const control = await bar.a.manager.request({ method: 'PUT', url: '/api/v1/venue/settings', payload: { bartendersMayVoid: true }, csrf: true });
    expect(control.statusCode).toBe(200);
  });

  it('refuses an unknown field on a route that needs no session (login)', async () => {
    const res = await bar.frontEnd.client().post('/api/v1/login', { email: bar.a.account.email, password: bar.a.account.password, remember: true }, { csrf: false });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'BB_VALIDATION', field: 'remember' });
  });
});

describe('a query string is still text read as numbers and booleans', () => {
  it('takes ?limit=1 as the number 1 and ?includeArchived=true as true', async () => {
    for (let i = 0; i < 2; i += 1) {
      const sale = await bar.a.manager.post('/api/v1/sales', {
        lines: [{ servingId: pint(bar.aProduct), quantity: 1 }],
        payments: [{ method: 'card', amountCents: 560 }],
      });
      expect(sale.statusCode).toBe(201);
    }
    const page = await bar.a.manager.get('/api/v1/sales?limit=1');
    expect(page.statusCode).toBe(200);
    expect(page.json().items).toHaveLength(1);
    expect(page.json().nextCursor).toEqual(expect.any(String));
    expect((await bar.a.manager.get('/api/v1/products?includeArchived=true')).statusCode).toBe(200);
  });

  it('still names a query parameter it cannot read', async () => {
    const res = await bar.a.manager.get('/api/v1/sales?limit=many');
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toEqual({ code: 'BB_VALIDATION', field: 'limit', message: 'limit must be a whole number' });
  });
});
