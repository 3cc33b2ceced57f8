/**
 * The HTTP API refuses what the database would, at the door: every JSON body,
 * query parameter and path parameter of every operation in the served OpenAPI
 * document is walked (test/messaging/contract/request-fields.ts) and tried
 * with its class's edge values. Each must answer 400 BB_VALIDATION naming the
 * field, with no internal error text, and none may reach a worker (a worker
 * would dead-letter it). A new route is covered without new test code.
 *
 * Then the other side of the edge: a product at every least value the
 * contract takes and one at every most value are stored and read back as
 * sent, so the contract's bounds fit the database's columns.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import amqp, { type ChannelModel } from 'amqplib';
import { DEAD_LETTER_QUEUE } from '@barback/messaging';
import { UNKNOWN_ID, httpBar, type HttpBar } from '../../../helpers/api.js';
import { loadServices } from '../../../helpers/services.js';
import { badCases, sample, schemaFields, withValue, type SchemaField } from '../../../messaging/contract/request-fields.js';

type Schema = Record<string, unknown>;
interface Parameter {
  in: string;
  name: string;
  schema: Schema;
}
interface Operation {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
}

/** What a refusal must never show: words from the database, the runtime or the broker. */
const INTERNAL = /postgres|sql|syntax|invalid input|NaN|TypeError|RangeError|stack|\.ts:\d|node_modules|amqp|dead.letter|retr(y|ied)/i;

let bar: HttpBar;
let broker: ChannelModel;
let deadLettersBefore = 0;
let doc: { paths: Record<string, Record<string, Operation>> };

async function deadLetters(): Promise<number> {
  const channel = await broker.createChannel();
  try {
    return (await channel.checkQueue(DEAD_LETTER_QUEUE)).messageCount;
  } finally {
    await channel.close();
  }
}

beforeAll(async () => {
  bar = await httpBar();
  broker = await amqp.connect(loadServices().amqpUrls[0]!);
  deadLettersBefore = await deadLetters();
  doc = (await bar.frontEnd.client().get('/api/openapi.json')).json();
});

afterAll(async () => {
  await broker?.close();
  await bar?.frontEnd.close();
  await bar?.worker.stop();
});

interface HttpCase extends SchemaField {
  what: string;
  value: unknown;
  expected: string;
  words?: string;
  method: string;
  url: string;
  part: 'body' | 'query' | 'path';
  send: { payload?: string; query?: string; url: string };
}

/** Every operation with its fields, from the served document (read in the first test, used by the next). */
function httpCases(): HttpCase[] {
  const cases: HttpCase[] = [];
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(operations)) {
      const label = `${method.toUpperCase()} ${path}`;
      const pathParams = (op.parameters ?? []).filter((p) => p.in === 'path');
      const url = path.replace(/\{(\w+)\}/g, UNKNOWN_ID);
      const body = op.requestBody?.content['application/json']?.schema;
      if (body) {
        const good = sample(body) as Record<string, unknown>;
        for (const c of badCases(schemaFields(label, body))) {
          cases.push({ ...c, method, url, part: 'body', send: { url, payload: JSON.stringify(withValue(good, c.path, c.value)) } });
        }
      }
      const query = (op.parameters ?? []).filter((p) => p.in === 'query');
      for (const param of query) {
        for (const c of badCases(schemaFields(label, param.schema, [param.name]))) {
          // A query string is text: it carries neither another JSON type nor an unpaired surrogate.
          if (c.wrongType || (typeof c.value !== 'string' && typeof c.value !== 'number')) continue;
          if (typeof c.value === 'string' && /[\uD800-\uDFFF]/u.test(c.value)) continue;
          const search = new URLSearchParams({ [param.name]: String(c.value) }).toString();
          cases.push({ ...c, method, url, part: 'query', send: { url: `${url}?${search}` } });
        }
      }
      for (const param of pathParams) {
        for (const c of badCases(schemaFields(label, param.schema, [param.name]))) {
          if (typeof c.value !== 'string' || c.value === '' || c.wrongType) continue;
          const bad = path.replace(/\{(\w+)\}/g, (_m, name: string) => (name === param.name ? encodeURIComponent(c.value as string) : UNKNOWN_ID));
          cases.push({ ...c, method, url: bad, part: 'path', send: { url: bad } });
        }
      }
    }
  }
  return cases;
}

describe('every operation of the API, with a value outside what a field takes', () => {
  it('answers 400 naming the field, in the API words, with nothing from inside', async () => {
    const cases = httpCases();
    // Every part is reached: bodies, queries and ids in the path.
    expect(cases.filter((c) => c.part === 'body').length).toBeGreaterThan(500);
    expect(cases.filter((c) => c.part === 'query').length).toBeGreaterThan(30);
    expect(cases.filter((c) => c.part === 'path').length).toBeGreaterThan(5);
    for (const what of ['/api/v1/sales from', '/api/v1/audit from', '/api/v1/products servings.0.ml', '/api/v1/register name']) {
      expect(cases.some((c) => `${c.url.split('?')[0]} ${c.field}` === what)).toBe(true);
    }

    const wrong: string[] = [];
    const client = bar.a.manager;
    for (const [i, c] of cases.entries()) {
      const res = await client.request({
        method: c.method.toUpperCase(),
        url: c.send.url,
        // An address of its own for each: the PIN login's per-till limit (20 a minute) counts before validation.
        remoteAddress: `10.24.${(i >> 8) & 255}.${i & 255}`,
        ...(c.send.payload === undefined ? {} : { payload: c.send.payload, headers: { 'content-type': 'application/json' } }),
        csrf: c.method !== 'get',
      });
      const error = (res.headers['content-type']?.toString().includes('json') ? res.json() : {}).error as
        | { code?: string; field?: string; message?: string }
        | undefined;
      const fine =
        res.statusCode === 400 &&
        error?.code === 'BB_VALIDATION' &&
        error.field === c.expected &&
        (c.words === undefined || error.message === `${c.expected} ${c.words}`) &&
        !INTERNAL.test(res.body);
      if (!fine) wrong.push(`${c.method.toUpperCase()} ${c.send.url.slice(0, 120)} [${c.part} ${c.field}: ${c.what}] → ${res.statusCode} ${res.body.slice(0, 200)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('the issue\'s own inputs among them, each refused as the rest', async () => {
    const client = bar.a.manager;
    const product = { name: 'Edge lager', category: 'draught', abv: 4, vatClass: 'standard', unitMl: 50_000, unitCostCents: 1, parUnits: 1, servings: [{ name: 'Pint', ml: 568, priceCents: 600 }] };
    const tries = [
      { res: await client.post('/api/v1/products', { ...product, name: '\u00A0 \u3000' }), field: 'name' },
      { res: await client.post('/api/v1/tabs', { name: 'Tab \uD83C' }), field: 'name' },
      { res: await client.post('/api/v1/tabs', { name: '\u202Eevil' }), field: 'name' },
      { res: await client.post('/api/v1/products', { ...product, servings: [{ name: 'Pint', ml: 1e-300, priceCents: 600 }] }), field: 'servings.0.ml' },
      { res: await client.post('/api/v1/products', { ...product, unitMl: 1e-300 }), field: 'unitMl' },
      { res: await client.get('/api/v1/sales?from=9999-12-31T23:59:60Z'), field: 'from' },
      { res: await client.get('/api/v1/audit?from=0000-01-01T00:00:00Z'), field: 'from' },
    ];
    for (const { res, field } of tries) {
      expect({ status: res.statusCode, code: res.json().error.code, field: res.json().error.field }).toEqual({ status: 400, code: 'BB_VALIDATION', field });
      expect(res.body).not.toMatch(INTERNAL);
    }
  });

  it('and none of them reached a worker: nothing was dead-lettered', async () => {
    // Time for a stray publish to be refused by the worker and dead-lettered.
    await new Promise((r) => setTimeout(r, 300));
    expect(await deadLetters()).toBe(deadLettersBefore);
  });
});

describe('the edges the contract takes, the database keeps', () => {
  const least = {
    name: 'L',
    category: 'soft',
    abv: 0,
    vatClass: 'standard',
    unitMl: 0.1,
    unitCostCents: 0,
    parUnits: 0,
    sortOrder: 1,
    servings: [{ name: 'S', ml: 0.1, priceCents: 0 }],
  };
  const most = {
    name: '🍺'.repeat(120),
    category: 'spirit',
    abv: 100,
    vatClass: 'reduced',
    unitMl: 1_000_000,
    unitCostCents: 100_000_000,
    parUnits: 1_000_000,
    sortOrder: 10_000,
    servings: Array.from({ length: 12 }, (_v, i) => ({ name: `${'ש'.repeat(58)}${String(i).padStart(2, '0')}`, ml: 1_000_000, priceCents: 10_000_000 })),
  };

  it.each([
    ['every least value', least],
    ['every most value (120 emoji in the name, 12 servings)', most],
  ])('a product at %s is stored and read back as sent', async (_what, input) => {
    const created = await bar.a.manager.post('/api/v1/products', input);
    expect(created.statusCode).toBe(201);
    const read = await bar.a.manager.get(`/api/v1/products/${created.json().id as string}`);
    expect(read.statusCode).toBe(200);
    const product = read.json();
    const { sortOrder: _sortOrder, servings, ...fields } = input;
    expect(product).toMatchObject(fields);
    expect(product.servings.map((s: { name: string; ml: number; priceCents: number }) => ({ name: s.name, ml: s.ml, priceCents: s.priceCents }))).toEqual(servings);
  });
});
