/**
 * The deliveries page's e-invoice upload (multipart) without a browser: a
 * file over 2 MB answers 400 naming the document and the limit (never 413),
 * a second file or an extra field is refused, a missing CSRF token is 403,
 * and a good file leads to its draft page.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { httpBar, type HttpBar } from '../../../../helpers/api.js';
import type { HttpClient } from '../../../../helpers/app.js';
import { csrfFrom } from '../../../../helpers/forms.js';
import { ublFixture, whitespaceFixture } from '../../../../back-end/domain/ubl/fixtures.js';

let bar: HttpBar;
const BOUNDARY = '----barback-test-boundary';

beforeAll(async () => {
  bar = await httpBar();
});
afterAll(async () => {
  await bar?.frontEnd.close();
  await bar?.worker.stop();
});

/** A multipart body as a browser's form sends it: fields, then files. */
function multipart(fields: Record<string, string>, files: { name: string; filename: string; content: string }[]): Buffer {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(fields)) parts.push(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
  for (const f of files) {
    parts.push(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${f.name}"; filename="${f.filename}"\r\nContent-Type: application/xml\r\n\r\n${f.content}\r\n`);
  }
  return Buffer.from(`${parts.join('')}--${BOUNDARY}--\r\n`);
}

async function upload(client: HttpClient, fields: Record<string, string>, files: { name: string; filename: string; content: string }[]) {
  return client.request({
    method: 'POST',
    url: '/deliveries/invoices',
    payload: multipart(fields, files),
    headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
  });
}

describe('the e-invoice upload form', () => {
  it('imports a good file and redirects to its draft', async () => {
    const m = bar.a.manager;
    const csrf = csrfFrom((await m.get('/deliveries')).body);
    const res = await upload(m, { _csrf: csrf }, [{ name: 'document', filename: 'invoice.xml', content: ublFixture('keg-and-case-invoice.xml') }]);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toMatch(/^\/deliveries\/invoices\/[0-9a-f-]{36}$/);
    const draft = await m.get(res.headers.location as string);
    expect(draft.statusCode).toBe(200);
    expect(draft.body).toContain('LVD-26-0417');
  });

  it('answers a file over 2 MB with 400 naming the document and the limit', async () => {
    const m = bar.a.manager;
    const csrf = csrfFrom((await m.get('/deliveries')).body);
    const res = await upload(m, { _csrf: csrf }, [{ name: 'document', filename: 'big.xml', content: whitespaceFixture() }]);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('The document is more than 2 MB; the limit is 2 MB.');
  });

  it('refuses two files, an extra field, a missing CSRF token and a page in place of an invoice', async () => {
    const m = bar.a.manager;
    const csrf = csrfFrom((await m.get('/deliveries')).body);
    const file = { name: 'document', filename: 'invoice.xml', content: ublFixture('keg-and-case-invoice.xml') };
    const two = await upload(m, { _csrf: csrf }, [file, { ...file, filename: 'again.xml' }]);
    expect(two.statusCode).toBe(400);
    expect(two.body).toContain('Send one file, the e-invoice, and nothing else.');
    const extra = await upload(m, { _csrf: csrf, idempotencyKey: 'k-12345678', note: 'x' }, [file]);
    expect(extra.statusCode).toBe(400);
    expect((await upload(m, {}, [file])).statusCode).toBe(403);
    const html = await upload(m, { _csrf: csrf }, [{ ...file, content: ublFixture('html-page.html') }]);
    expect(html.statusCode).toBe(400);
    expect(html.body).toMatch(/data-testid="document-error"[^>]*>The document is not well-formed XML/);
  });
});
