/**
 * The audit log in words: each action the back end records, as written now
 * and as older rows have it (fewer details), and an action this release does
 * not know yet.
 */
import { describe, expect, it } from '@jest/globals';
import { actionChoices, actionLabel, describeAuditEntry, type AuditEntryLike } from '../../../front-end/src/services/audit-words.js';
import { formatDateTime, formatTime } from '../../../front-end/src/services/format.js';

const ZONE = 'Europe/Dublin';
const day = (iso: string) => new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(new Date(iso));
const clock = { time: (iso: string) => formatTime(iso, ZONE), dateTime: (iso: string) => formatDateTime(iso, ZONE), day };

/** 20:05 in Dublin (summer time, UTC+1). */
const AT = '2026-06-12T19:05:00.000Z';
const entry = (action: string, details: Record<string, unknown>, extra: Partial<AuditEntryLike> = {}): AuditEntryLike => ({
  at: AT,
  action,
  staffName: 'Mary',
  reason: null,
  details,
  ...extra,
});
const say = (e: AuditEntryLike) => describeAuditEntry(e, clock);

describe('the audit log in words', () => {
  it('says what a void took off which tab, and why', () => {
    const details = { lineId: '0190f7c2-0000-7000-8000-000000000001', tab: 'Table 4', quantity: 1, description: 'Guinness (Pint)', grossCents: 620 };
    expect(say(entry('tab.void', details, { reason: 'rang twice' }))).toBe('Void: Table 4, 1 × Guinness (Pint) €6.20, reason: rang twice');
    // Written before the tab's name and quantity were recorded.
    const older = { lineId: details.lineId, description: 'Guinness (Pint)', grossCents: 620 };
    expect(say(entry('tab.void', older, { reason: 'rang twice' }))).toBe('Void: Guinness (Pint) €6.20, reason: rang twice');
  });

  it('says which sale a refund was of, how many lines and how much', () => {
    const details = {
      refundId: '0190f7c2-0000-7000-8000-000000000002',
      lineIds: ['a', 'b'],
      grossCents: -1240,
      sale: 'Table 4',
      saleClosedAt: '2026-06-12T18:42:00.000Z',
      lines: [
        { quantity: 1, description: 'Guinness (Pint)', grossCents: -620 },
        { quantity: 1, description: 'Harp (Pint)', grossCents: -620 },
      ],
    };
    expect(say(entry('sale.refund', details, { reason: 'flat' }))).toBe(
      'Refund: sale of 19:42 (Table 4), 2 lines (1 × Guinness (Pint), 1 × Harp (Pint)), €12.40, reason: flat',
    );
    // A sale of another day gets its date.
    expect(say(entry('sale.refund', { ...details, saleClosedAt: '2026-06-10T18:42:00.000Z' }))).toContain('sale of 10 Jun 2026, 19:42');
    // An older row: the line ids and the total only.
    expect(say(entry('sale.refund', { refundId: 'r', lineIds: ['a'], grossCents: -560 }, { reason: 'spilt' }))).toBe(
      'Refund: a sale, 1 line, €5.60, reason: spilt',
    );
  });

  it('says a price change, a new serving and a retired one', () => {
    const change = { product: 'Guinness', serving: 'Pint', servingId: 's', fromCents: 590, toCents: 620 };
    expect(say(entry('price.change', change))).toBe('Price change: Guinness (Pint) €5.90 → €6.20');
    expect(say(entry('price.change', { ...change, serving: 'Bottle', fromCents: null, toCents: 600 }))).toBe('New serving: Guinness (Bottle) at €6.00');
    expect(say(entry('price.change', { ...change, serving: 'Half', fromCents: 320, toCents: null }))).toBe('Serving retired: Guinness (Half), was €3.20');
  });

  it('says what a product was added with, and what changed on one', () => {
    expect(say(entry('product.create', { name: 'Guinness', servings: [{ name: 'Pint', priceCents: 620 }, { name: 'Half', priceCents: 330 }] }))).toBe(
      'Product added: Guinness (Pint €6.20, Half €3.30)',
    );
    const update = { product: 'Guinness', abv: { from: 4.2, to: 4.3 }, unitCostCents: { from: 12_000, to: 12_500 }, category: { from: 'draught', to: 'bottle' } };
    expect(say(entry('product.update', update))).toBe('Product changed: Guinness: ABV 4.2% → 4.3%; cost per stock unit €120.00 → €125.00; category Draught → Bottles');
    // An older row has no product name, unless the name itself changed.
    expect(say(entry('product.update', { unitMl: { from: null, to: 30_000 } }))).toBe('Product changed: ml per stock unit none (counted in units) → 30,000 ml');
    expect(say(entry('product.update', { name: { from: 'Guiness', to: 'Guinness' } }))).toBe('Product changed: Guinness: name Guiness → Guinness');
    expect(say(entry('product.archive', { product: 'Harp' }))).toBe('Product archived: Harp');
    expect(say(entry('product.restore', { product: 'Harp' }))).toBe('Product restored: Harp');
  });

  it('says staff changes and password changes', () => {
    expect(say(entry('staff.create', { name: 'Mary', email: 'mary@example.ie', role: 'bartender' }))).toBe('Staff created: Mary (bartender)');
    expect(say(entry('staff.disable', { name: 'Joe', email: 'joe@example.ie', role: 'manager' }))).toBe('Staff disabled: Joe (manager)');
    expect(say(entry('auth.passwordChange', { initial: true }))).toBe('Password changed: initial password replaced at first login');
    expect(say(entry('auth.passwordChange', { initial: false }))).toBe('Password changed');
  });

  it('says who tried what when a manager-only action was refused', () => {
    expect(say(entry('access.denied', { attempted: 'sales.refundSale' }))).toBe('Refused: Mary tried to refund a sale');
    expect(say(entry('access.denied', { attempted: 'staff.listStaff' }, { staffName: null }))).toBe('Refused: someone tried to see the staff list');
    expect(say(entry('access.denied', { attempted: 'till.setVoidRule' }))).toBe('Refused: Mary tried to do “till: set void rule”');
  });

  it('says tab splits, PINs, tills and settings', () => {
    const lines = [{ lineId: 'x', description: 'Guinness (Pint)', quantity: 2, grossCents: 1240 }];
    expect(say(entry('tab.split', { from: 'Table 4', to: 'Table 4 (Joe)', toTabId: 't', lines }))).toBe(
      'Tab split: 1 line (2 × Guinness (Pint)) from Table 4 to Table 4 (Joe)',
    );
    expect(say(entry('auth.pinLockout', { name: 'Joe', till: 'Bar tablet', lockedUntil: '2026-06-12T19:20:00.000Z' }, { staffName: null }))).toBe(
      'PIN locked: Joe after too many wrong PINs on Bar tablet, until 20:20',
    );
    expect(say(entry('staff.pinSet', { name: 'Joe', hadPin: false }))).toBe('PIN set for Joe');
    expect(say(entry('staff.pinSet', { name: 'Joe', hadPin: true }))).toBe('PIN reset for Joe');
    expect(say(entry('till.enrol', { name: 'Bar tablet' }))).toBe('Till enrolled: Bar tablet');
    expect(say(entry('venue.settings', { bartendersMayVoid: { from: false, to: true } }))).toBe('Settings changed: bartenders may void: no → yes');
  });

  it('reads an action it does not know from its code and details, with no ids or JSON', () => {
    const text = say(entry('device.enrolTill', { deviceId: '0190f7c2-0000-7000-8000-000000000003', label: 'Bar tablet', feeCents: 150, trusted: true, ids: [1, 2] }));
    expect(text).toBe('Device: enrol till: label: Bar tablet, fee: €1.50, trusted: yes, ids: 2 items');
    expect(text).not.toMatch(/[{}"]|0190f7c2/);
    expect(say(entry('device.revoke', {}))).toBe('Device: revoke');
  });

  it('offers every known action in the filter in words, and any other seen, sorted by the words', () => {
    const choices = actionChoices(['device.enrolTill', 'tab.void']);
    expect(choices.filter((c) => c.value === 'tab.void')).toEqual([{ value: 'tab.void', label: 'Void' }]);
    expect(choices.map((c) => c.value)).toEqual(expect.arrayContaining(['access.denied', 'sale.refund', 'price.change', 'device.enrolTill']));
    const labels = choices.map((c) => c.label);
    expect(labels).toEqual([...labels].sort((a, b) => a.localeCompare(b)));
    expect(actionLabel('access.denied')).toBe('Refused');
  });
});
