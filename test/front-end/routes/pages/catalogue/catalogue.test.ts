/**
 * The catalogue pages (front-end/src/routes/pages/catalogue/), driven as a
 * browser without script would: GET a page, post one of its forms with the
 * hidden fields it carries, follow the redirect.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Worker } from '@barback/back-end';
import { startFrontEnd, type HttpClient, type TestFrontEnd } from '../../../../helpers/app.js';
import { formsIn, postForm, submit } from '../../../../helpers/forms.js';
import { newAccount } from '../../../../helpers/venue.js';
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

async function manager(label = 'pages'): Promise<HttpClient> {
  const client = frontEnd.client();
  expect((await client.post('/api/v1/register', newAccount(label), { csrf: false })).statusCode).toBe(201);
  return client;
}

const LAGER = {
  name: 'Harbour Lager',
  category: 'draught',
  abv: '4.3',
  vatClass: 'standard',
  unitMl: '50000',
  unitCost: '120.00',
  parUnits: '2',
  'servings.0.name': 'Pint',
  'servings.0.ml': '568',
  'servings.0.price': '6.00',
  'servings.1.name': 'Half',
  'servings.1.ml': '284',
  'servings.1.price': '3.20',
};

describe('catalogue pages', () => {
  it('shows the minimum unit price beside the serving’s price field, then saves and edits the product', async () => {
    const client = await manager('catalogue-page');
    const form = await client.get('/catalogue/new');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('name="servings.0.price"');
    expect(form.body).toContain('<option value="draught" selected>');

    // Row 0 left blank: the error must land on the row the price was typed in.
    const tooCheap = await submit(client, '/catalogue/new', '/catalogue/new', {
      ...LAGER,
      'servings.0.name': '',
      'servings.0.ml': '',
      'servings.0.price': '',
      'servings.2.name': 'Pint',
      'servings.2.ml': '568',
      'servings.2.price': '1.50',
    });
    expect(tooCheap.statusCode).toBe(400);
    expect(tooCheap.body).toMatch(/data-testid="servings\.2\.price-error">[^<]*€1\.93/);
    expect(tooCheap.body).toContain('value="Harbour Lager"');

    const typo = await submit(client, '/catalogue/new', '/catalogue/new', { ...LAGER, abv: 'strong', 'servings.1.price': 'three' });
    expect(typo.statusCode).toBe(400);
    expect(typo.body).toMatch(/data-testid="abv-error">ABV is a percentage/);
    expect(typo.body).toMatch(/data-testid="servings\.1\.price-error">Enter the price in euro/);

    const saved = await submit(client, '/catalogue/new', '/catalogue/new', LAGER);
    expect(saved.statusCode).toBe(303);
    const location = saved.headers.location as string;
    // Back to the list, the product's row marked and scrolled to (catalogue-list.test.ts has more).
    expect(location).toMatch(/^\/catalogue\?saved=([0-9a-f-]{36})#product-\1$/);
    expect((await client.get(location.split('#')[0]!)).body).toContain('data-testid="saved"');
    const productPath = `/catalogue/${location.slice(location.indexOf('#product-') + '#product-'.length)}`;
    const edit = await client.get(productPath);
    expect(edit.statusCode).toBe(200);
    expect(edit.body).toContain('value="6.00"');

    const taken = await submit(client, '/catalogue/new', '/catalogue/new', LAGER);
    expect(taken.statusCode).toBe(409);
    expect(taken.body).toMatch(/data-testid="name-error">There is already a product called Harbour Lager/);

    const editFields = formsIn(edit.body, productPath)[0]!.fields;
    const repriced = await postForm(client, productPath, {
      ...LAGER,
      ...editFields,
      'servings.0.id': editFields['servings.0.id']!,
      'servings.0.price': '6.50',
      'servings.1.id': editFields['servings.1.id']!,
    });
    expect(repriced.statusCode).toBe(303);
    const list = await client.get('/catalogue');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('€6.50');
    expect(list.body).toContain('€3.20');

    expect((await client.get('/catalogue/not-an-id')).statusCode).toBe(400);
    expect((await client.get('/catalogue/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
  });
});
