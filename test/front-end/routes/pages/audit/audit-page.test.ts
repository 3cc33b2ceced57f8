/**
 * The audit page (/audit) a page at a time: "Older entries" while there are
 * more (the filters kept in the link), "Newest" back to the first page, and a
 * cut or edited page link answered on the page itself.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Worker } from '@barback/back-end';
import { startFrontEnd, type HttpClient, type TestFrontEnd } from '../../../../helpers/app.js';
import { productInput, registerOverHttp, staffOverHttp, type HttpVenue } from '../../../../helpers/venue.js';
import { startWorker } from '../../../../helpers/worker.js';

const DENIALS = 105;

let worker: Worker;
let frontEnd: TestFrontEnd;
let venue: HttpVenue;
let boss: HttpClient;
let actorId: string;

beforeAll(async () => {
  worker = await startWorker();
  frontEnd = await startFrontEnd();
  venue = await registerOverHttp(frontEnd, 'audit-page');
  boss = venue.manager;
  // One staff.create entry, for the page that fits on one page.
  await staffOverHttp(frontEnd, venue, 'bartender');
  actorId = venue.session.staff.id;
  // More entries of one person and one action than one page of the audit log holds (100): products added, each a
  // product.create entry (refused manager actions, access.denied, are audited only a few a minute per person).
  for (let done = 0; done < DENIALS; done += 15) {
    const statuses = await Promise.all(Array.from({ length: Math.min(15, DENIALS - done) }, async () => (await boss.post('/api/v1/products', productInput())).statusCode));
    expect(statuses.every((s) => s === 201)).toBe(true);
  }
}, 120_000);
afterAll(async () => {
  await frontEnd?.close();
  await worker?.stop();
});

const rows = (html: string) => html.match(/data-testid="audit-row"/g)?.length ?? 0;

/** The href of a link by its test id, as the browser would follow it. */
function href(html: string, testId: string): string | null {
  const m = new RegExp(`<a href="([^"]+)"[^>]*data-testid="${testId}"`).exec(html);
  return m ? m[1]!.replace(/&amp;/g, '&') : null;
}

describe('/audit', () => {
  it('links to older entries with the filters kept, and back to the newest', async () => {
    const filter = `action=product.create&staffId=${actorId}`;
    const first = await boss.get(`/audit?${filter}`);
    expect(first.statusCode).toBe(200);
    expect(rows(first.body)).toBe(100);
    expect(href(first.body, 'newest-entries')).toBeNull();
    const older = href(first.body, 'older-entries');
    expect(older).not.toBeNull();
    const params = new URL(older!, 'http://page').searchParams;
    expect(params.get('action')).toBe('product.create');
    expect(params.get('staffId')).toBe(actorId);
    expect(params.get('cursor')).toMatch(/^[A-Za-z0-9_-]+$/);

    const second = await boss.get(older!);
    expect(second.statusCode).toBe(200);
    expect(rows(second.body)).toBe(DENIALS - 100);
    expect(href(second.body, 'older-entries')).toBeNull();
    expect(href(second.body, 'newest-entries')).toBe(`/audit?action=product.create&staffId=${actorId}`);
    // The filter form still shows the filters on the older page.
    expect(second.body).toContain('value="product.create"');
  });

  it('shows no pager when everything fits on one page', async () => {
    const res = await boss.get('/audit?action=staff.create');
    expect(res.statusCode).toBe(200);
    expect(rows(res.body)).toBeGreaterThan(0);
    expect(href(res.body, 'older-entries')).toBeNull();
    expect(href(res.body, 'newest-entries')).toBeNull();
  });

  it('answers a cut or edited page link on the page, with the way back to the newest', async () => {
    const first = await boss.get('/audit');
    const older = href(first.body, 'older-entries')!;
    for (const broken of [older.slice(0, -3), `${older}x`, '/audit?cursor=not-a-cursor', '/audit?cursor=%22%3E%3Cscript%3E']) {
      const res = await boss.get(broken);
      expect({ broken, status: res.statusCode }).toEqual({ broken, status: 400 });
      expect(res.body).toContain('data-testid="form-error"');
      expect(res.body).toContain('This page link is not valid any more');
      expect(href(res.body, 'newest-entries')).toBe('/audit');
      expect(res.body).not.toContain('<script>');
    }
  });
});
