/**
 * What an integrator does with /api/openapi.json: generate a typed client
 * (openapi-typescript) from the document a running front end serves, write
 * code against it, type-check that code, and call the real stack through it
 * (openapi-fetch): log in, one read (listProducts) and one write (openTab).
 * The generated types must mean something: sending a string where the
 * document says a number must not type-check.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import createClient from 'openapi-fetch';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import ts from 'typescript';
import { httpBar, type HttpBar } from '../../../helpers/api.js';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/** Code an integrator would write against the generated types. */
const CLIENT = `
import type createClientFn from 'openapi-fetch';
import type { operations, paths } from './api';

export interface Seen {
  loginStatus: number;
  productsStatus: number;
  productNames: string[];
  tabStatus: number;
  tabName: string | undefined;
}

export async function run(createClient: typeof createClientFn, baseUrl: string, email: string, password: string): Promise<Seen> {
  const client = createClient<paths>({ baseUrl });
  const login = await client.POST('/api/v1/login', { body: { email, password } });
  const cookie = login.response.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const csrf = login.data?.csrfToken ?? '';

  const products = await client.GET('/api/v1/products', { params: { query: { includeArchived: false } }, headers: { cookie } });
  const tab = await client.POST('/api/v1/tabs', { body: { name: 'Typed client' }, headers: { cookie, 'x-csrf-token': csrf } });

  // @ts-expect-error quantity is a number in the document, not a string
  const wrong: operations['addTabLine']['requestBody']['content']['application/json'] = { tabId: 'a', servingId: 'b', quantity: '1' };
  void wrong;

  return {
    loginStatus: login.response.status,
    productsStatus: products.response.status,
    productNames: products.data?.items.map((p) => p.name) ?? [],
    tabStatus: tab.response.status,
    tabName: tab.data?.name,
  };
}
`;

let bar: HttpBar;
let baseUrl: string;
let dir: string;

beforeAll(async () => {
  bar = await httpBar();
  // A real socket: the generated client speaks HTTP, as an integrator's would.
  baseUrl = await bar.frontEnd.app.listen({ host: '127.0.0.1', port: 0 });
  dir = await mkdtemp(join(tmpdir(), 'barback-openapi-client-'));
});

afterAll(async () => {
  await bar?.frontEnd.close();
  await bar?.worker.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function typeErrors(file: string): string[] {
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: [],
    skipLibCheck: true,
    // The temporary directory has no node_modules: openapi-fetch's types come from the repository's.
    baseUrl: dir,
    paths: { 'openapi-fetch': [join(repoRoot, 'node_modules', 'openapi-fetch')] },
  });
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

describe('a client generated from the served document', () => {
  it('is generated, type-checks, and logs in, reads and writes through the real stack', async () => {
    const doc = (await (await fetch(`${baseUrl}/api/openapi.json`)).json()) as OpenAPI3;
    const types = astToString(await openapiTS(doc));
    expect(types).toContain('"/api/v1/tabs"');
    await writeFile(join(dir, 'api.d.ts'), types);
    const clientFile = join(dir, 'client.ts');
    await writeFile(clientFile, CLIENT);

    expect(typeErrors(clientFile)).toEqual([]);

    const js = ts.transpileModule(CLIENT, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
    const runnable = join(dir, 'client.mjs');
    await writeFile(runnable, js);
    const { run } = (await import(pathToFileURL(runnable).href)) as {
      run: (create: typeof createClient, base: string, email: string, password: string) => Promise<Record<string, unknown>>;
    };

    const seen = await run(createClient, baseUrl, bar.a.account.email, bar.a.account.password);
    expect(seen).toEqual({
      loginStatus: 200,
      productsStatus: 200,
      productNames: [bar.aProduct.name],
      tabStatus: 201,
      tabName: 'Typed client',
    });
  });

  it('would not type-check code that sends the wrong type (the check can fail)', async () => {
    const file = join(dir, 'wrong.ts');
    await writeFile(file, CLIENT.replace("// @ts-expect-error quantity is a number in the document, not a string\n", ''));
    expect(typeErrors(file).join('\n')).toMatch(/quantity|not assignable to type 'number'/);
  });
});
