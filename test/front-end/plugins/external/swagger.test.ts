/**
 * The OpenAPI document (front-end/src/plugins/external/swagger.ts): every
 * operation by its operationId, each once. Served by the front end alone.
 * It declares the version its schemas follow (3.1: JSON Schema 2020-12, as
 * TypeBox writes them) and a well-kept validator finds nothing wrong with it.
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type SwaggerParser from '@apidevtools/swagger-parser';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { startFrontEnd, type TestFrontEnd } from '../../../helpers/app.js';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const SWAGGER_PARSER = pathToFileURL(createRequire(import.meta.url).resolve('@apidevtools/swagger-parser')).href;

/**
 * @apidevtools/swagger-parser's verdict on a document. Run in a node of its
 * own: the parser is CommonJS that requires an ES module, which Node loads
 * and Jest's module runtime does not.
 */
async function swaggerParser(doc: object): Promise<{ valid: boolean; message: string }> {
  // What the parser's validate() would be handed in this process.
  const api: Parameters<typeof SwaggerParser.validate>[0] = doc as Exclude<Parameters<typeof SwaggerParser.validate>[0], string>;
  const dir = await mkdtemp(join(tmpdir(), 'barback-openapi-'));
  try {
    const file = join(dir, 'openapi.json');
    await writeFile(file, JSON.stringify(api));
    const script =
      `import SwaggerParser from ${JSON.stringify(SWAGGER_PARSER)};` +
      'try { await SwaggerParser.validate(process.argv[1]); console.log(JSON.stringify({ valid: true, message: "" })); }' +
      'catch (err) { console.log(JSON.stringify({ valid: false, message: String(err.message) })); }';
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script, file], { cwd: repoRoot });
    return JSON.parse(stdout) as { valid: boolean; message: string };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

type Document = { openapi: string; paths: Record<string, Record<string, Record<string, unknown> & { operationId?: string }>> };

let frontEnd: TestFrontEnd;

beforeAll(async () => {
  frontEnd = await startFrontEnd();
});
afterAll(async () => {
  await frontEnd?.close();
});

describe('OpenAPI', () => {
  it('documents every till, catalogue, sales, staff and audit operation', async () => {
    const res = await frontEnd.client().get('/api/openapi.json');
    expect(res.statusCode).toBe(200);
    const paths = res.json().paths as Record<string, Record<string, { operationId?: string }>>;
    const ids = Object.values(paths).flatMap((ops) => Object.values(ops).map((op) => op.operationId));
    expect(ids).toEqual(
      expect.arrayContaining([
        'createProduct',
        'updateProduct',
        'listProducts',
        'getProduct',
        'openTab',
        'addTabLine',
        'voidTabLine',
        'closeTab',
        'recordSale',
        'listSales',
        'getSale',
        'refundSale',
        'listOpenTabs',
        'getTab',
        'createStaff',
        'disableStaff',
        'listStaff',
        'changePassword',
        'auditLog',
      ]),
    );
    expect(paths['/api/v1/products/{id}']).toBeDefined();
    expect(paths['/api/v1/sales/{id}']).toBeDefined();
  });

  it('documents the operations by operationId', async () => {
    const res = await frontEnd.client().get('/api/openapi.json');
    expect(res.statusCode).toBe(200);
    const ids = Object.values(res.json().paths as Record<string, Record<string, { operationId?: string }>>)
      .flatMap((ops) => Object.values(ops).map((op) => op.operationId));
    expect(ids).toEqual(expect.arrayContaining(['register', 'login', 'logout', 'me']));
  });
});

describe('OpenAPI operations', () => {
  it('lists exactly the API operations, each once', async () => {
    const res = await frontEnd.client().get('/api/openapi.json');
    const ids = Object.values(res.json().paths as Record<string, Record<string, { operationId?: string }>>)
      .flatMap((ops) => Object.values(ops).map((op) => op.operationId))
      .filter((id): id is string => id !== undefined)
      .sort();
    expect(ids).toEqual(
      [
        'addTabLine', 'auditLog', 'changePassword', 'closeTab', 'createProduct', 'createStaff', 'disableStaff', 'getProduct',
        'getSale', 'getTab', 'listOpenTabs', 'listProducts', 'listSales', 'listStaff', 'login', 'logout', 'me', 'openTab',
        'recordSale', 'refundSale', 'register', 'updateProduct', 'voidTabLine',
        'archiveProduct', 'restoreProduct', 'listVatRates',
        'splitTab', 'getSettings', 'updateSettings',
        'enrolTill', 'listTills', 'revokeTill', 'setStaffPin', 'listTillStaff', 'pinLogin', 'setPin',
        'listEvents', 'streamEvents', 'signOutEverywhere',
        'createSupplier', 'listSuppliers', 'recordDelivery', 'listDeliveries', 'getDelivery', 'recordWastage', 'listWastage',
        'startStocktake', 'listStocktakes', 'getStocktake', 'recordCount', 'closeStocktake', 'getVarianceReport', 'getReorderList', 'listStockMoves',
        'getVatReturn', 'getVatWorkings', 'getTradingDetails',
        'startShift', 'recordCashMovement', 'getXReport', 'closeShift', 'listZReports', 'getZReport',
        'importInvoice', 'getInvoiceDraft', 'confirmInvoice', 'mapSupplierItem',
      ].sort(),
    );
  });
});

describe('OpenAPI document', () => {
  let doc: Document;
  beforeAll(async () => {
    const res = await frontEnd.client().get('/api/openapi.json');
    expect(res.statusCode).toBe(200);
    doc = res.json<Document>();
  });

  it('declares OpenAPI 3.1, the version whose schemas are the JSON Schema TypeBox writes', () => {
    expect(doc.openapi).toBe('3.1.0');
  });

  it('passes @apidevtools/swagger-parser without a single error', async () => {
    expect(await swaggerParser(doc)).toEqual({ valid: true, message: '' });
  });

  it('would fail it, declared as 3.0 (the check sees what the issue saw)', async () => {
    const verdict = await swaggerParser({ ...doc, openapi: '3.0.3' });
    expect(verdict.valid).toBe(false);
    expect(verdict.message).toMatch(/schema validation failed/i);
  });

  it('has only the JSON API: no page, health check or static file', () => {
    const paths = Object.keys(doc.paths);
    expect(paths.length).toBeGreaterThan(30);
    expect(paths.filter((p) => !p.startsWith('/api/v1/'))).toEqual([]);
  });

  it('gives every operation an operationId, each once', () => {
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ at: `${method} ${path}`, id: op.operationId })));
    expect(operations.filter((o) => !o.id).map((o) => o.at)).toEqual([]);
    const ids = operations.map((o) => o.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it('has schemas that are all valid JSON Schema 2020-12', () => {
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    const invalid: string[] = [];
    const visit = (node: unknown, where: string) => {
      if (typeof node !== 'object' || node === null) return;
      for (const [key, value] of Object.entries(node)) {
        if (key === 'schema' && typeof value === 'object' && value !== null && !ajv.validateSchema(value)) {
          invalid.push(`${where}: ${ajv.errorsText(ajv.errors)}`);
        } else visit(value, `${where}/${key}`);
      }
    };
    visit(doc.paths, '#/paths');
    expect(invalid).toEqual([]);
  });
});
