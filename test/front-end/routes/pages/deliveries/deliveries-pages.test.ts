/**
 * The deliveries pages (front-end/src/routes/pages/deliveries/), driven as a
 * browser without script would: the entry form (a supplier chosen or typed,
 * lines in euro and stock units, "Add line", each mistake beside its field,
 * a repeated invoice's 409 beside the invoice number), the view it goes to,
 * the list and the CSV, and a bartender turned away from all of them.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Worker } from '@barback/back-end';
import { createProduct, UNKNOWN_ID, type ProductBody } from '../../../../helpers/api.js';
import { startFrontEnd, type HttpClient, type TestFrontEnd } from '../../../../helpers/app.js';
import { csrfFrom, formsIn, postForm } from '../../../../helpers/forms.js';
import { registerOverHttp, staffOverHttp, type HttpVenue } from '../../../../helpers/venue.js';
import { startWorker } from '../../../../helpers/worker.js';

let worker: Worker;
let frontEnd: TestFrontEnd;
let venue: HttpVenue;
let manager: HttpClient;
let bartender: HttpClient;
/** €120.00 a 50 l keg, standard VAT (23%). */
let lager: ProductBody;
/** A bottled cider, counted by the bottle. */
let cider: ProductBody;

beforeAll(async () => {
  worker = await startWorker();
  frontEnd = await startFrontEnd();
  venue = await registerOverHttp(frontEnd, 'delivery-pages');
  manager = venue.manager;
  bartender = (await staffOverHttp(frontEnd, venue, 'bartender')).client;
  lager = await createProduct(manager);
  cider = await createProduct(manager, {
    name: `Cider ${Date.now()}`,
    category: 'bottle',
    unitMl: 500,
    unitCostCents: 180,
    servings: [{ name: 'Bottle', ml: null, priceCents: 600 }],
  });
});
afterAll(async () => {
  await frontEnd?.close();
  await worker?.stop();
});

/** The entry form's hidden fields (CSRF token, idempotency key, rows), fresh from GET /deliveries/new. */
async function freshForm(client: HttpClient = manager): Promise<Record<string, string>> {
  const page = await client.get('/deliveries/new');
  expect(page.statusCode).toBe(200);
  const form = formsIn(page.body, '/deliveries/new')[0];
  if (!form) throw new Error('no delivery form on the page');
  return form.fields;
}

async function post(fields: Record<string, string>, client: HttpClient = manager) {
  return postForm(client, '/deliveries/new', { ...(await freshForm(client)), ...fields });
}

/** The options of a select, as [value, label, selected]. */
function options(html: string, name: string): [string, string, boolean][] {
  const select = new RegExp(`<select id="${name.replace(/\./g, '\\.')}" name="[^"]+"[^>]*>([\\s\\S]*?)</select>`).exec(html);
  if (!select) throw new Error(`no select ${name}`);
  return [...select[1]!.matchAll(/<option value="([^"]*)"( selected)?>([^<]*)<\/option>/g)].map((m) => [m[1]!, m[3]!, Boolean(m[2])]);
}

function errorOf(html: string, field: string): string | null {
  const m = new RegExp(`data-testid="${field.replace(/\./g, '\\.')}-error">([^<]*)<`).exec(html);
  return m ? m[1]! : null;
}

const stamp = Date.now();
/** A supplier whose name a spreadsheet would run as a formula: the CSV must keep it text. */
const FORMULA_SUPPLIER = `=HYPERLINK("http://evil.example/${stamp}","Harbour")`;

describe('delivery entry form', () => {
  it('starts blank: today’s date, invoice, three empty lines with the products grouped; "Add line" adds one and writes nothing', async () => {
    const page = await manager.get('/deliveries/new');
    expect(page.statusCode).toBe(200);
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: venue.session.venue.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
    expect(page.body).toMatch(new RegExp(`name="invoiceDate" type="date"\\s+value="${today}"`));
    expect(options(page.body, 'kind').find((o) => o[2])?.[0]).toBe('invoice');
    expect(page.body.match(/data-testid="delivery-line"/g)).toHaveLength(3);
    expect(page.body).toMatch(/<optgroup label="Draught">[\s\S]*?<option value="[^"]+">Lager \d+<\/option>/);
    expect(page.body).toContain('<optgroup label="Bottles">');
    expect(page.body).toContain('inputmode="decimal"');

    const added = await post({ invoiceNumber: 'ADD-1', 'lines.0.productId': lager.id, 'lines.0.quantity': '2', addLine: '1' });
    expect(added.statusCode).toBe(200);
    expect(added.body.match(/data-testid="delivery-line"/g)).toHaveLength(4);
    expect(added.body).toContain('value="ADD-1"');
    expect(options(added.body, 'lines.0.productId').find((o) => o[2])?.[0]).toBe(lager.id);
    // The new line is scrolled to after the next "Add line" too.
    expect(added.body).toContain('formaction="/deliveries/new#line-5"');
    expect(errorOf(added.body, 'supplierId')).toBeNull();
    const list = await manager.get('/api/v1/deliveries');
    expect(list.json<{ items: unknown[] }>().items).toHaveLength(0);
  });

  it('shows each mistake beside its field, keeps what was typed, and writes nothing', async () => {
    const res = await post({
      invoiceNumber: '',
      invoiceDate: '2026-02-30',
      'lines.0.productId': lager.id,
      'lines.0.quantity': '1.2345',
      'lines.0.unitCost': 'twelve',
      'lines.2.quantity': '3',
      'lines.2.unitCost': '19.99',
      'lines.2.vatRate': 'lots',
    });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res.body, 'supplierId')).toMatch(/Choose the supplier/);
    expect(errorOf(res.body, 'invoiceNumber')).toMatch(/Enter the invoice number/);
    expect(errorOf(res.body, 'invoiceDate')).toMatch(/Enter the date on the invoice/);
    expect(errorOf(res.body, 'lines.0.quantity')).toMatch(/at most 3 decimals/);
    expect(errorOf(res.body, 'lines.0.unitCost')).toMatch(/in euro before VAT/);
    expect(errorOf(res.body, 'lines.0.productId')).toBeNull();
    expect(errorOf(res.body, 'lines.1.productId')).toBeNull();
    expect(errorOf(res.body, 'lines.2.productId')).toBe('Choose the product.');
    expect(errorOf(res.body, 'lines.2.vatRate')).toMatch(/like 23 or 13\.5/);
    expect(res.body).toMatch(/id="lines\.0\.quantity"[^>]*value="1\.2345"[\s\S]*?aria-invalid="true" aria-describedby="lines\.0\.quantity-error"/);
    expect(res.body).toContain('value="19.99"');
    expect(res.body).toContain('data-testid="error-summary"');

    const empty = await post({ newSupplier: 'Nobody Yet', invoiceNumber: 'E-1' });
    expect(empty.statusCode).toBe(400);
    expect(errorOf(empty.body, 'lines.0.productId')).toMatch(/Add at least one line/);
    const suppliers = await manager.get('/api/v1/suppliers');
    expect(suppliers.json<{ items: { name: string }[] }>().items.map((s) => s.name)).not.toContain('Nobody Yet');
  });

  it('creates the supplier typed, saves the invoice (net, VAT per line, half up) and goes to its page', async () => {
    // Row 1 left blank: the rows after it are read by their own numbers.
    const saved = await post({
      newSupplier: FORMULA_SUPPLIER,
      invoiceNumber: `INV-${stamp}`,
      invoiceDate: '2026-03-02',
      kind: 'invoice',
      'lines.0.productId': lager.id,
      'lines.0.quantity': '2,5',
      'lines.0.unitCost': '120.00',
      'lines.2.productId': cider.id,
      'lines.2.quantity': '0.125',
      'lines.2.unitCost': '19.99',
      'lines.2.vatRate': '13.5',
    });
    expect(saved.statusCode).toBe(303);
    const location = saved.headers.location as string;
    expect(location).toMatch(/^\/deliveries\/[0-9a-f-]{36}\?saved=1$/);
    const view = await manager.get(location);
    expect(view.statusCode).toBe(200);
    expect(view.body).toContain('data-testid="delivery-saved"');
    expect(view.body).toContain(`Invoice INV-${stamp}`);
    // 2.5 × €120.00 = €300.00, VAT 23% €69.00; 0.125 × €19.99 = 249.875 → €2.50, VAT 13.5% 33.75 → €0.34.
    expect(view.body).toMatch(/data-testid="delivery-net">€302\.50</);
    expect(view.body).toMatch(/data-testid="delivery-vat">€69\.34</);
    expect(view.body).toMatch(/data-testid="delivery-gross">€371\.84</);
    expect(view.body).toContain('13.5%');
    expect(view.body).toContain('=HYPERLINK(&quot;http://evil.example/');

    const id = location.slice('/deliveries/'.length, location.indexOf('?'));
    const api = (await manager.get(`/api/v1/deliveries/${id}`)).json<{ lines: { quantity: number; netCents: number; vatCents: number; vatRateBp: number }[] }>();
    expect(api.lines.map((l) => [l.quantity, l.netCents, l.vatRateBp, l.vatCents])).toEqual([
      [2.5, 30_000, 2300, 6900],
      [0.125, 250, 1350, 34],
    ]);
  });

  it('answers a repeated invoice with the 409 beside the invoice number, whether the supplier is chosen or typed again', async () => {
    const suppliers = (await manager.get('/api/v1/suppliers')).json<{ items: { id: string; name: string }[] }>().items;
    const supplier = suppliers.find((s) => s.name === FORMULA_SUPPLIER);
    expect(supplier).toBeDefined();
    const line = { 'lines.0.productId': lager.id, 'lines.0.quantity': '1', 'lines.0.unitCost': '120' };

    const chosen = await post({ supplierId: supplier!.id, invoiceNumber: `INV-${stamp}`, invoiceDate: '2026-03-03', ...line });
    expect(chosen.statusCode).toBe(409);
    expect(errorOf(chosen.body, 'invoiceNumber')).toMatch(new RegExp(`INV-${stamp} from .* is already recorded`));
    expect(chosen.body).toContain(`value="INV-${stamp}"`);
    expect(options(chosen.body, 'supplierId').find((o) => o[2])?.[0]).toBe(supplier!.id);

    // The same name typed in another case is the supplier on the list, not a second one.
    const typed = await post({ newSupplier: FORMULA_SUPPLIER.toUpperCase(), invoiceNumber: `INV-${stamp}`, invoiceDate: '2026-03-03', ...line });
    expect(typed.statusCode).toBe(409);
    expect(errorOf(typed.body, 'invoiceNumber')).toMatch(/is already recorded/);

    const both = await post({ supplierId: supplier!.id, newSupplier: 'Someone Else', invoiceNumber: 'B-1', ...line });
    expect(both.statusCode).toBe(400);
    expect(errorOf(both.body, 'newSupplier')).toMatch(/not both/);
  });

  it('puts a worker’s refusal about a line beside that line, and a supplier it created stays chosen for the retry', async () => {
    const name = `Brand New ${stamp}`;
    // €200,000.00 a unit: the parse accepts it, the contract's maximum does not.
    const refused = await post({
      newSupplier: name,
      invoiceNumber: `BIG-${stamp}`,
      invoiceDate: '2026-03-04',
      'lines.1.productId': lager.id,
      'lines.1.quantity': '1',
      'lines.1.unitCost': '200000.00',
    });
    expect(refused.statusCode).toBe(400);
    expect(errorOf(refused.body, 'lines.1.unitCost')).not.toBeNull();
    const chosen = options(refused.body, 'supplierId').find((o) => o[2]);
    expect(chosen?.[1]).toBe(name);
    expect(refused.body).toMatch(/id="newSupplier" name="newSupplier" type="text"\s+value=""/);

    // The corrected form, posted with the key it came back with, saves once.
    const fields = formsIn(refused.body, '/deliveries/new')[0]!.fields;
    const retry = {
      ...fields,
      supplierId: chosen![0],
      invoiceNumber: `BIG-${stamp}`,
      invoiceDate: '2026-03-04',
      'lines.1.productId': lager.id,
      'lines.1.quantity': '1',
      'lines.1.unitCost': '125.00',
    };
    const first = await postForm(manager, '/deliveries/new', retry);
    expect(first.statusCode).toBe(303);
    const again = await postForm(manager, '/deliveries/new', retry);
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toBe(first.headers.location);
    const named = (await manager.get('/api/v1/suppliers')).json<{ items: { name: string }[] }>().items.filter((s) => s.name === name);
    expect(named).toHaveLength(1);
  });

  it('records a credit note: stock goes back out, its amounts negative', async () => {
    const suppliers = (await manager.get('/api/v1/suppliers')).json<{ items: { id: string; name: string }[] }>().items;
    const res = await post({
      supplierId: suppliers.find((s) => s.name === FORMULA_SUPPLIER)!.id,
      invoiceNumber: `CN-${stamp}`,
      invoiceDate: '2026-03-05',
      kind: 'creditNote',
      'lines.0.productId': lager.id,
      'lines.0.quantity': '1',
      'lines.0.unitCost': '120.00',
    });
    expect(res.statusCode).toBe(303);
    const view = await manager.get(res.headers.location as string);
    expect(view.body).toContain(`Credit note CN-${stamp}`);
    expect(view.body).toContain('The stock has gone out.');
    expect(view.body).toMatch(/data-testid="delivery-gross">-€147\.60</);
  });
});

describe('deliveries list, view and CSV', () => {
  it('lists the deliveries newest first, each linking to its page', async () => {
    const list = await manager.get('/deliveries');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('href="/deliveries/new"');
    const numbers = [...list.body.matchAll(/<a href="\/deliveries\/[0-9a-f-]{36}">([^<]+)<\/a>/g)].map((m) => m[1]);
    expect(numbers).toEqual([`CN-${stamp}`, `BIG-${stamp}`, `INV-${stamp}`]);
    expect(list.body).toContain('Credit note');
    expect(list.body).toContain('€371.84');
  });

  it('exports one row per line as CSV, the formula-like supplier made safe and a credit note’s amounts negative numbers', async () => {
    const csv = await manager.get('/deliveries.csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe('attachment; filename="deliveries.csv"');
    const lines = csv.body.split('\r\n');
    expect(lines[0]).toBe('invoice_date,supplier,invoice_number,kind,product,quantity,unit_cost_eur,vat_rate_percent,net_eur,vat_eur,gross_eur');
    // csv-stringify quotes the cell (it has quotes and a comma); the apostrophe keeps a spreadsheet from running it.
    const safe = `"'=HYPERLINK(""http://evil.example/${stamp}"",""Harbour"")"`;
    expect(lines).toContain(`2026-03-02,${safe},INV-${stamp},invoice,${lager.name},2.5,120.00,23,300.00,69.00,369.00`);
    expect(lines).toContain(`2026-03-02,${safe},INV-${stamp},invoice,${cider.name},0.125,19.99,13.5,2.50,0.34,2.84`);
    expect(lines).toContain(`2026-03-05,${safe},CN-${stamp},creditNote,${lager.name},1,120.00,23,-120.00,-27.60,-147.60`);
    expect(csv.body).not.toMatch(/(^|,)=HYPERLINK/m);
  });

  it('answers an unknown delivery with 404 and a malformed id with 400', async () => {
    expect((await manager.get(`/deliveries/${UNKNOWN_ID}`)).statusCode).toBe(404);
    expect((await manager.get('/deliveries/not-an-id')).statusCode).toBe(400);
  });

  it('turns a bartender away from every deliveries page, and does not offer them', async () => {
    const any = (await manager.get('/deliveries')).body.match(/href="(\/deliveries\/[0-9a-f-]{36})"/)![1]!;
    for (const url of ['/deliveries', '/deliveries/new', '/deliveries.csv', any]) {
      const res = await bartender.get(url);
      expect([url, res.statusCode]).toEqual([url, 403]);
    }
    const till = await bartender.get('/till');
    expect(till.statusCode).toBe(200);
    expect(till.body).not.toContain('href="/deliveries"');
    // The form cannot be posted either: the worker refuses and nothing is written.
    const html = (await bartender.get('/till')).body;
    const res = await postForm(bartender, '/deliveries/new', {
      _csrf: csrfFrom(html),
      idempotencyKey: `bartender-${stamp}`,
      newSupplier: `Bartender Supplier ${stamp}`,
      invoiceNumber: 'NOPE-1',
      invoiceDate: '2026-03-06',
      'lines.0.productId': lager.id,
      'lines.0.quantity': '1',
      'lines.0.unitCost': '1.00',
    });
    expect(res.statusCode).toBe(403);
    const suppliers = (await manager.get('/api/v1/suppliers')).json<{ items: { name: string }[] }>().items;
    expect(suppliers.map((s) => s.name)).not.toContain(`Bartender Supplier ${stamp}`);
  });
});
