/**
 * The catalogue as a manager works it (front-end/src/routes/pages/catalogue/),
 * driven as a browser without script would: stock as people count it and
 * stock below zero flagged in words, VAT classes with their rate, the list
 * back after saving with the product marked, number fields with a numeric
 * keypad, warnings that need a tick, archiving and restoring, and moving a
 * product up or down the till.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Worker } from '@barback/back-end';
import { startFrontEnd, type HttpClient, type TestFrontEnd } from '../../../../helpers/app.js';
import { createProductOverHttp, registeredManager } from '../../../../helpers/api.js';
import { formsIn, postForm, submit } from '../../../../helpers/forms.js';
import { staffOverHttp, type Product } from '../../../../helpers/venue.js';
import { startWorker } from '../../../../helpers/worker.js';

let worker: Worker;
let frontEnd: TestFrontEnd;

beforeAll(async () => {
  worker = await startWorker();
  frontEnd = await startFrontEnd();
});
afterAll(async () => {
  await frontEnd?.close();
  await worker?.stop();
});

/** Stock as a delivery or a count would leave it (neither is built yet): set on the primary. */
async function setStock(productId: string, units: number): Promise<void> {
  const db = await worker.db.primary();
  await db.query('UPDATE stock_levels SET stock_units = $2 WHERE product_id = $1', [productId, units]);
}

/** The row of a product on the list page: from its <tr> to the next. */
function row(html: string, productId: string): string {
  const start = html.indexOf(`<tr id="product-${productId}"`);
  if (start < 0) return '';
  const end = html.indexOf('</tr>', start);
  return html.slice(start, end);
}

/** The products of the list page in the order shown. */
const order = (html: string) => [...html.matchAll(/data-product="([0-9a-f-]{36})"/g)].map((m) => m[1]);

/** An input's attributes, by its id. */
function input(html: string, id: string): string {
  return new RegExp(`<input id="${id.replace(/\./g, '\\.')}"[^>]*>`).exec(html)?.[0] ?? '';
}

const IPA = {
  name: 'Harbour IPA',
  category: 'bottle',
  abv: '5.5',
  vatClass: 'standard',
  unitMl: '330',
  unitCost: '1.20',
  parUnits: '24',
  'servings.0.name': 'Bottle',
  'servings.0.ml': '330',
  'servings.0.price': '6.50',
  // 568 ml from a 330 ml unit: each pint draws 1.72 bottles.
  'servings.1.name': 'Pint',
  'servings.1.ml': '568',
  'servings.1.price': '9.00',
};

describe('the catalogue list', () => {
  let manager: HttpClient;
  let keg: Product;
  let whiskey: Product;
  let flat: Product;

  beforeAll(async () => {
    manager = await registeredManager(frontEnd, 'catalogue-list');
    keg = await createProductOverHttp(manager, { name: 'Keg Stout' });
    whiskey = await createProductOverHttp(manager, {
      name: 'Kilbeggan',
      category: 'spirit',
      abv: 40,
      unitMl: 700,
      servings: [{ name: 'Measure', ml: 35.5, priceCents: 550 }],
    });
    flat = await createProductOverHttp(manager, { name: 'Flat Stout' });
    // 1 keg + 31.2 pints; 2 bottles + 9 measures (319.5 ml of 700).
    await setStock(keg.id, 1 + (31.2 * 568) / 50_000);
    await setStock(whiskey.id, 2 + 319.5 / 700);
    // Nothing counted in, one pint sold: a pint below zero.
    const sold = await manager.post('/api/v1/sales', {
      lines: [{ servingId: flat.servings.find((s) => s.name === 'Pint')!.id, quantity: 1 }],
      payments: [{ method: 'cash', amountCents: 560 }],
    });
    expect(sold.statusCode).toBe(201);
  });

  it('shows stock as people count it, and stock below zero with a badge and in words', async () => {
    const list = await manager.get('/catalogue');
    expect(list.statusCode).toBe(200);
    expect(row(list.body, keg.id)).toContain('1 keg + 31.2 pints');
    expect(row(list.body, whiskey.id)).toContain('2 bottles + 9 measures');
    const below = row(list.body, flat.id);
    expect(below).toMatch(/data-testid="negative-stock">Below zero</);
    expect(below).toContain('1 pint below zero');
    expect(below).toContain('More sold than counted in');
    expect(row(list.body, keg.id)).not.toContain('negative-stock');
    // Not the raw number of units.
    expect(list.body).not.toMatch(/-0\.01136|1\.354432/);

    // The product page says it too.
    const page = await manager.get(`/catalogue/${flat.id}`);
    expect(page.body).toMatch(/data-testid="stock"[\s\S]*Below zero[\s\S]*1 pint below zero/);
  });

  it('shows each VAT class with the rate charged today, and honest examples', async () => {
    const rates = (await manager.get('/api/v1/vat-rates')).json<{ items: { vatClass: string; rateBp: number; current: boolean }[] }>().items;
    const now = (c: string) => `${rates.find((r) => r.vatClass === c && r.current)!.rateBp / 100}%`;
    expect(now('standard')).toBe('23%');
    expect(row((await manager.get('/catalogue')).body, keg.id)).toContain(`Standard ${now('standard')}`);

    const form = await manager.get('/catalogue/new');
    expect(form.body).toContain(`<option value="standard" selected>Standard ${now('standard')}: alcohol, soft drinks, water, crisps, sweets</option>`);
    expect(form.body).toMatch(new RegExp(`<option value="reduced">Reduced ${now('reduced').replace('.', '\\.')}[^<]*: meals, hot food, tea and coffee</option>`));
    expect(form.body).toContain('Crisps, sweets, soft drinks and water are 23% even served with a meal');
    expect(form.body).not.toContain('Reduced rate (food)');
  });

  it('opens a numeric keypad for every number field of the product form', async () => {
    const form = (await manager.get(`/catalogue/${keg.id}`)).body;
    for (const id of ['abv', 'unitMl', 'unitCost', 'parUnits', 'servings.0.ml', 'servings.0.price', 'servings.2.price']) {
      expect({ id, input: input(form, id) }).toEqual({ id, input: expect.stringContaining('inputmode="decimal"') });
    }
    expect(input(form, 'sortOrder')).toContain('inputmode="numeric"');
    expect(input(form, 'sortOrder')).toContain('pattern="[0-9]*"');
    expect(input(form, 'name')).not.toContain('inputmode');
  });

  it('comes back to the list after saving, with the product marked and scrolled to', async () => {
    const created = await submit(manager, '/catalogue/new', '/catalogue/new', { ...IPA, name: 'Pale Ale', 'servings.1.name': '', 'servings.1.ml': '', 'servings.1.price': '' });
    expect(created.statusCode).toBe(303);
    const location = created.headers.location as string;
    const id = /saved=([0-9a-f-]{36})#product-\1$/.exec(location)?.[1];
    expect(id).toBeDefined();
    const list = await manager.get(location.split('#')[0]!);
    expect(list.body).toMatch(/data-testid="saved">Saved <strong>Pale Ale<\/strong>/);
    expect(row(list.body, id!)).toContain('class="highlight"');
    expect(row(list.body, keg.id)).not.toContain('highlight');

    // An edit comes back the same way.
    const edit = await manager.get(`/catalogue/${id}`);
    const fields = formsIn(edit.body, `/catalogue/${id}`)[0]!.fields;
    const saved = await postForm(manager, `/catalogue/${id}`, {
      ...IPA,
      ...fields,
      name: 'Pale Ale',
      'servings.0.price': '6.80',
      'servings.1.name': '',
      'servings.1.ml': '',
      'servings.1.price': '',
    });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`/catalogue?saved=${id}#product-${id}`);
  });

  it('warns about a serving bigger than its stock unit, and saves it only once the box is ticked', async () => {
    const warned = await submit(manager, '/catalogue/new', '/catalogue/new', IPA);
    expect(warned.statusCode).toBe(400);
    expect(warned.body).toContain('data-testid="warnings"');
    expect(warned.body).toMatch(/data-testid="servings\.1\.ml-warning">[\s\S]*Pint: 568 ml is more than one stock unit \(330 ml\); each one sold takes 1\.72 units/);
    expect(warned.body).toMatch(/data-testid="confirmWarnings-error">Check the sizes marked above/);
    expect(input(warned.body, 'servings.1.ml')).toContain('aria-describedby="servings.1.ml-warning"');
    // Nothing was saved, and what was typed is still there.
    expect(warned.body).toContain('value="Harbour IPA"');
    expect((await manager.get('/catalogue')).body).not.toContain('Harbour IPA');

    const confirmed = await submit(manager, '/catalogue/new', '/catalogue/new', { ...IPA, confirmWarnings: 'yes' });
    expect(confirmed.statusCode).toBe(303);
    const id = /saved=([0-9a-f-]{36})/.exec(confirmed.headers.location as string)![1]!;
    // Its page shows the warning again, for the next person to edit it.
    expect((await manager.get(`/catalogue/${id}`)).body).toContain('data-testid="servings.1.ml-warning"');
  });

  it('archives a product off the list and the till, and restores it', async () => {
    const product = await createProductOverHttp(manager, { name: 'Seasonal Red' });
    const page = await manager.get(`/catalogue/${product.id}`);
    const archive = formsIn(page.body, `/catalogue/${product.id}/archive`)[0]!;
    const archived = await postForm(manager, archive.action, archive.fields);
    expect(archived.statusCode).toBe(303);
    expect(archived.headers.location).toBe(`/catalogue?archived=${product.id}`);

    const list = await manager.get(archived.headers.location as string);
    expect(list.body).toMatch(/data-testid="archived-notice"><strong>Seasonal Red<\/strong> is archived/);
    expect(row(list.body, product.id)).toBe('');
    expect(list.body).toMatch(/data-testid="show-archived">Archived products \(1\)/);
    expect((await manager.get('/till')).body).not.toContain('Seasonal Red');

    const archivedList = await manager.get('/catalogue?show=archived');
    expect(row(archivedList.body, product.id)).toContain('Seasonal Red');
    expect(row(archivedList.body, keg.id)).toBe('');
    const restore = formsIn(archivedList.body, `/catalogue/${product.id}/restore`)[0]!;
    const restored = await postForm(manager, restore.action, restore.fields);
    expect(restored.statusCode).toBe(303);
    expect(restored.headers.location).toBe(`/catalogue?restored=${product.id}#product-${product.id}`);
    const back = await manager.get(`/catalogue?restored=${product.id}`);
    expect(row(back.body, product.id)).toContain('class="highlight"');
    expect(back.body).toContain('data-testid="restored-notice"');
    expect((await manager.get('/till')).body).toContain('Seasonal Red');
  });

  it('moves a product up and down its category, and the till follows', async () => {
    const own = await registeredManager(frontEnd, 'catalogue-order');
    const [a, b, c] = [
      await createProductOverHttp(own, { name: 'Alpha Ale' }),
      await createProductOverHttp(own, { name: 'Beta Bitter' }),
      await createProductOverHttp(own, { name: 'Gamma Gose' }),
    ];
    expect(order((await own.get('/catalogue')).body)).toEqual([a.id, b.id, c.id]);
    // The first has no "Up", the last no "Down".
    expect(row((await own.get('/catalogue')).body, a.id)).toMatch(/data-testid="move-up" disabled/);

    const upForm = formsIn((await own.get('/catalogue')).body, `/catalogue/${c.id}/place`)[0]!;
    expect(upForm.fields.sortOrder).toBe('2');
    const moved = await postForm(own, upForm.action, upForm.fields);
    expect(moved.statusCode).toBe(303);
    expect(moved.headers.location).toBe(`/catalogue?moved=${c.id}#product-${c.id}`);
    expect(order((await own.get('/catalogue')).body)).toEqual([a.id, c.id, b.id]);

    const downForm = formsIn((await own.get('/catalogue')).body, `/catalogue/${a.id}/place`)[1]!;
    await postForm(own, downForm.action, downForm.fields);
    expect(order((await own.get('/catalogue')).body)).toEqual([c.id, a.id, b.id]);
    const till = (await own.get('/till')).body;
    const at = (name: string) => till.indexOf(name);
    expect(at('Gamma Gose')).toBeGreaterThan(-1);
    expect(at('Gamma Gose')).toBeLessThan(at('Alpha Ale'));
    expect(at('Alpha Ale')).toBeLessThan(at('Beta Bitter'));

    // The place typed on the product form does the same.
    const form = await own.get(`/catalogue/${b.id}`);
    const fields = formsIn(form.body, `/catalogue/${b.id}`)[0]!.fields;
    const typed = await postForm(own, `/catalogue/${b.id}`, {
      ...fields,
      name: 'Beta Bitter',
      category: 'draught',
      abv: '4.3',
      vatClass: 'standard',
      unitMl: '50000',
      unitCost: '150.00',
      parUnits: '2',
      sortOrder: '1',
      'servings.0.name': 'Pint',
      'servings.0.ml': '568',
      'servings.0.price': '5.60',
      'servings.1.name': 'Half',
      'servings.1.ml': '284',
      'servings.1.price': '3.00',
    });
    expect(typed.statusCode).toBe(303);
    expect(order((await own.get('/catalogue')).body)).toEqual([b.id, c.id, a.id]);
  });

  it('shows a bartender the list without the manager’s buttons, and refuses a bartender’s archive', async () => {
    const venue = { manager, session: null as never, account: null as never };
    const bartender = await staffOverHttp(frontEnd, venue, 'bartender');
    const list = await bartender.client.get('/catalogue');
    expect(list.statusCode).toBe(200);
    expect(row(list.body, keg.id)).toContain('1 keg + 31.2 pints');
    expect(list.body).not.toContain('data-testid="move-up"');
    expect(list.body).not.toContain('data-testid="edit-product"');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(list.body)![1]!;
    const refused = await postForm(bartender.client, `/catalogue/${keg.id}/archive`, { _csrf: csrf, idempotencyKey: 'bartender-archive-1' });
    expect(refused.statusCode).toBe(403);
    expect(row((await manager.get('/catalogue')).body, keg.id)).toContain('Keg Stout');
  });
});
