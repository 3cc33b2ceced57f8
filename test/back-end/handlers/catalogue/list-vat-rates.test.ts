/**
 * catalogue.listVatRates: the rate of each class the product form states is
 * the one the till charges today (vat_rate_bp, migration 0002), and changes
 * already scheduled come after it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { asBartender, createVenue, startRig, type Rig } from '../../../helpers/venue.js';

let rig: Rig;

beforeAll(async () => {
  rig = await startRig();
});
afterAll(async () => {
  await rig?.close();
});

describe('VAT rates', () => {
  it('gives each class’s rate in force today, the one a sale is charged, then any scheduled change', async () => {
    const venue = await createVenue(rig, 'vat-rates');
    const { items } = await venue.manager.call('catalogue.listVatRates', {});
    const db = await rig.primary();
    const { rows } = await db.query<{ standard: number; reduced: number; today: string }>(
      `SELECT vat_rate_bp('standard', now(), v.time_zone) AS standard, vat_rate_bp('reduced', now(), v.time_zone) AS reduced,
              to_char((now() AT TIME ZONE v.time_zone)::date, 'YYYY-MM-DD') AS today
         FROM venues v WHERE v.id = $1`,
      [venue.venueId],
    );
    const charged = rows[0]!;
    const current = items.filter((r) => r.current);
    expect(current.map((r) => [r.vatClass, r.rateBp])).toEqual([
      ['standard', charged.standard],
      ['reduced', charged.reduced],
    ]);
    expect(current.every((r) => r.effectiveFrom <= charged.today)).toBe(true);
    const scheduled = items.filter((r) => !r.current);
    expect(scheduled.every((r) => r.effectiveFrom > charged.today)).toBe(true);
    // The table holds 23% standard, and reduced 13.5% then 9% from 1 July 2026.
    const { rows: table } = await db.query<{ vat_class: string; rate_bp: number; from: string }>(
      `SELECT vat_class, rate_bp, to_char(effective_from, 'YYYY-MM-DD') AS from FROM vat_rates WHERE effective_from > $1::date ORDER BY vat_class DESC, effective_from`,
      [charged.today],
    );
    expect(scheduled.map((r) => [r.vatClass, r.rateBp, r.effectiveFrom])).toEqual(table.map((r) => [r.vat_class, r.rate_bp, r.from]));
    expect(charged.standard).toBe(2300);
    expect(charged.reduced).toBe(charged.today >= '2026-07-01' ? 900 : 1350);
  });

  it('is there for a bartender too: it is what the till charges, not a secret', async () => {
    const venue = await createVenue(rig, 'vat-rates-bartender');
    const bartender = await asBartender(venue);
    expect((await bartender.call('catalogue.listVatRates', {})).items.length).toBeGreaterThanOrEqual(2);
  });
});
