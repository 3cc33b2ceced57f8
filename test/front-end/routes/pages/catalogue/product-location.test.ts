/**
 * The product form's "Kept in" field (a product's location, issue 17), driven
 * as a browser without script would: saved with the product, shown again on
 * the edit page, cleared by an empty field, and a value too long refused
 * beside the field with what was typed kept.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Worker } from '@barback/back-end';
import { startFrontEnd, type HttpClient, type TestFrontEnd } from '../../../../helpers/app.js';
import { submit } from '../../../../helpers/forms.js';
import { registerOverHttp } from '../../../../helpers/venue.js';
import { startWorker } from '../../../../helpers/worker.js';

let worker: Worker;
let frontEnd: TestFrontEnd;
let manager: HttpClient;

beforeAll(async () => {
  worker = await startWorker();
  frontEnd = await startFrontEnd();
  manager = (await registerOverHttp(frontEnd, 'product-location-page')).manager;
});
afterAll(async () => {
  await frontEnd?.close();
  await worker?.stop();
});

const STOUT = {
  name: 'Cellar Stout',
  category: 'draught',
  abv: '4.2',
  vatClass: 'standard',
  unitMl: '50000',
  unitCost: '150.00',
  parUnits: '1',
  'servings.0.name': 'Pint',
  'servings.0.ml': '568',
  'servings.0.price': '5.60',
};

interface Product {
  id: string;
  name: string;
  location: string | null;
}

async function product(name: string): Promise<Product> {
  const list = await manager.get('/api/v1/products');
  const found = list.json<{ items: Product[] }>().items.find((p) => p.name === name);
  if (!found) throw new Error(`no product ${name}`);
  return found;
}

describe('the product form’s location', () => {
  it('is saved, shown on the edit page, and cleared by an empty field', async () => {
    const form = await manager.get('/catalogue/new');
    expect(form.body).toContain('<label for="location">Kept in</label>');
    const saved = await submit(manager, '/catalogue/new', '/catalogue/new', { ...STOUT, location: '  Cellar ' });
    expect(saved.statusCode).toBe(303);
    const stout = await product('Cellar Stout');
    expect(stout.location).toBe('Cellar');

    // The list says where it is kept.
    expect((await manager.get('/catalogue')).body).toContain('data-testid="location">Kept in Cellar</span>');

    const edit = await manager.get(`/catalogue/${stout.id}`);
    expect(edit.statusCode).toBe(200);
    expect(edit.body).toMatch(/<input id="location" name="location" type="text"\s+value="Cellar"/);

    const cleared = await submit(manager, `/catalogue/${stout.id}`, `/catalogue/${stout.id}`, { ...STOUT, location: '' });
    expect(cleared.statusCode).toBe(303);
    expect((await product('Cellar Stout')).location).toBeNull();
  });

  it('refuses more than 40 characters beside the field, keeping what was typed', async () => {
    const long = 'Back bar, second shelf from the top, left side';
    const refused = await submit(manager, '/catalogue/new', '/catalogue/new', { ...STOUT, name: 'Long Stout', location: long });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('data-testid="location-error"');
    expect(refused.body).toContain(`value="${long}"`);
    expect(refused.body).toMatch(/<input id="location"[^>]*aria-invalid="true"/);
  });
});
