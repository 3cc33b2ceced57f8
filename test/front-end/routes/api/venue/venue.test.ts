/**
 * GET and PUT /api/v1/venue/settings (operationIds getSettings and
 * updateSettings, front-end/src/routes/api/venue/): anyone on the staff
 * reads them, a manager changes them, refusals name the field.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Worker } from '@barback/back-end';
import { startFrontEnd, type HttpClient, type TestFrontEnd } from '../../../../helpers/app.js';
import { registerOverHttp, staffOverHttp, type HttpVenue } from '../../../../helpers/venue.js';
import { startWorker } from '../../../../helpers/worker.js';

let worker: Worker;
let frontEnd: TestFrontEnd;
let venue: HttpVenue;
let bartender: HttpClient;

beforeAll(async () => {
  worker = await startWorker();
  frontEnd = await startFrontEnd();
  venue = await registerOverHttp(frontEnd, 'api-settings');
  bartender = (await staffOverHttp(frontEnd, venue, 'bartender')).client;
});
afterAll(async () => {
  await frontEnd?.close();
  await worker?.stop();
});

const put = (client: HttpClient, payload: unknown, csrf = true) =>
  client.request({ method: 'PUT', url: '/api/v1/venue/settings', payload: payload as object, headers: { 'content-type': 'application/json' }, csrf });

describe('/api/v1/venue/settings', () => {
  it('reads the defaults, takes a manager’s change and shows it to the staff', async () => {
    const before = await bartender.get('/api/v1/venue/settings');
    expect(before.statusCode).toBe(200);
    expect(before.json()).toEqual({ bartendersMayVoid: true, businessDayStartHour: 6 });

    const changed = await put(venue.manager, { bartendersMayVoid: false });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toEqual({ bartendersMayVoid: false, businessDayStartHour: 6 });
    expect((await bartender.get('/api/v1/venue/settings')).json()).toEqual({ bartendersMayVoid: false, businessDayStartHour: 6 });

    // Another venue's stay its own.
    const other = await registerOverHttp(frontEnd, 'api-settings-other');
    expect((await other.manager.get('/api/v1/venue/settings')).json()).toEqual({ bartendersMayVoid: true, businessDayStartHour: 6 });

    expect((await put(venue.manager, { bartendersMayVoid: true })).json()).toEqual({ bartendersMayVoid: true, businessDayStartHour: 6 });
  });

  it('refuses a bartender (403), a bad body (400 naming the field), no CSRF token (403) and no session (401)', async () => {
    const byBartender = await put(bartender, { bartendersMayVoid: false });
    expect(byBartender.statusCode).toBe(403);
    expect(byBartender.json().error.code).toBe('BB_FORBIDDEN');

    const bad = await put(venue.manager, { bartendersMayVoid: 'sometimes' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'BB_VALIDATION', field: 'bartendersMayVoid' });

    const noToken = await put(venue.manager, { bartendersMayVoid: false }, false);
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json().error.code).toBe('BB_CSRF');

    const stranger = frontEnd.client();
    expect((await stranger.get('/api/v1/venue/settings')).statusCode).toBe(401);
    expect((await venue.manager.get('/api/v1/venue/settings')).json()).toEqual({ bartendersMayVoid: true, businessDayStartHour: 6 });
  });

  it('is documented as getSettings and updateSettings', async () => {
    const doc = (await frontEnd.client().get('/api/openapi.json')).json();
    const path = doc.paths['/api/v1/venue/settings'];
    expect(path.get.operationId).toBe('getSettings');
    expect(path.put.operationId).toBe('updateSettings');
    expect(Object.keys(path.put.requestBody.content['application/json'].schema.properties)).toEqual(['bartendersMayVoid', 'businessDayStartHour']);
  });
});
