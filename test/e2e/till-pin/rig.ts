/**
 * What the PIN-on-a-till browser tests share: a worker, a front end on a real
 * port with the environment a test asks for (a short TILL_IDLE_LOCK_SECONDS,
 * say), Debian's Chromium, a venue with two bartenders made over HTTP, and
 * the steps a manager takes in the browser.
 */
import { expect } from '@jest/globals';
import type { Page } from 'playwright-core';
import { startBrowserRig, type BrowserRig } from '../../helpers/browser.js';
import { registerOverHttp, staffOverHttp, type HttpVenue } from '../../helpers/venue.js';

/** The browser rig, with the front end's settings a PIN test chooses (a short idle lock). */
export type PinRig = BrowserRig;
export const startPinRig = startBrowserRig;

export interface Person {
  id: string;
  name: string;
}

export interface PinVenue {
  venue: HttpVenue;
  bartenders: [Person, Person];
}

/** A venue with two bartenders who have chosen their own passwords (their names are what the lock screen shows). */
export async function venueWithBartenders(rig: PinRig, label: string): Promise<PinVenue> {
  const venue = await registerOverHttp(rig.frontEnd, label);
  const people: Person[] = [];
  for (let i = 0; i < 2; i += 1) {
    const who = await staffOverHttp(rig.frontEnd, venue, 'bartender');
    const listed = (await venue.manager.get('/api/v1/staff')).json<{ items: Person[] }>().items.find((m) => m.id === who.id);
    people.push({ id: who.id, name: listed!.name });
  }
  return { venue, bartenders: [people[0]!, people[1]!] };
}

/** The manager logs in with email and password, through the login page. */
export async function managerLogsIn(page: Page, baseUrl: string, venue: HttpVenue): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.fill('#email', venue.account.email);
  await page.fill('#password', venue.account.password);
  await page.click('[data-testid=submit]');
  await page.waitForURL(`${baseUrl}/`);
}

/** "Use this browser as a till" on the staff page. */
export async function enrolThisBrowser(page: Page, baseUrl: string, name: string): Promise<void> {
  await page.goto(`${baseUrl}/staff`);
  await page.fill('#tillName', name);
  await page.click('[data-testid=enrol-till]');
  await page.waitForURL(/\/staff\?enrolled=/);
  await expect(page.textContent('[data-testid=this-till]')).resolves.toContain(name);
}

/** The staff page's "Till PINs" form. */
export async function setPinOnStaffPage(page: Page, baseUrl: string, staffId: string, pin: string): Promise<void> {
  await page.goto(`${baseUrl}/staff`);
  await page.selectOption('#pinStaffId', staffId);
  await page.fill('#pin', pin);
  await page.click('[data-testid=set-pin]');
  await page.waitForURL(/\/staff\?pinSet=/);
}

/** Width the page scrolls sideways by (0: none): the browser tests' own measure. */
export { sidewaysOverflow } from '../../helpers/browser.js';
