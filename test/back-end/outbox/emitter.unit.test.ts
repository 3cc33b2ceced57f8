/**
 * EventCollector (back-end/src/outbox/emitter.ts): what a handler's ctx.emit
 * does before anything reaches the database. The outbox insert with the
 * COMMIT, and what each handler emits, are tested against the real services
 * in test/back-end/handlers/<area>/<area>-events.test.ts.
 */
import { describe, expect, it } from '@jest/globals';
import type { EventType } from '@barback/messaging';
import { EventCollector } from '../../../back-end/src/outbox/emitter.js';

const VENUE = '0190f0c8-7a3e-7c1d-9b2a-3f4e5d6c7b8a';
const OTHER_VENUE = '0190f0c8-7a3e-7c1d-9b2a-000000000001';
const STAFF = '0190f0c8-7a3e-7c1d-9b2a-3f4e5d6c7b8b';
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const signedOut = { staffId: STAFF, name: 'Aoife', sessions: 'this' as const };
const settings = { before: { bartendersMayVoid: true, businessDayStartHour: 6 }, after: { bartendersMayVoid: false, businessDayStartHour: 6 } };

describe('EventCollector', () => {
  it('fills in the envelope from the event type, with the caller’s venue by default', () => {
    const collector = new EventCollector('venue.updateSettings', VENUE);
    collector.emit('venue.settingsUpdated', { aggregateId: VENUE, data: settings });
    expect(collector.pending).toEqual([
      {
        id: expect.stringMatching(UUID_V7),
        type: 'venue.settingsUpdated',
        venueId: VENUE,
        aggregateType: 'venue',
        aggregateId: VENUE,
        version: 1,
        data: settings,
      },
    ]);
  });

  it('takes the venue it is given, for a write without a signed-in caller', () => {
    const collector = new EventCollector('auth.register', null);
    collector.emit('venue.registered', { aggregateId: OTHER_VENUE, venueId: OTHER_VENUE, data: { name: 'The Stag' } });
    expect(collector.pending[0]?.venueId).toBe(OTHER_VENUE);
  });

  it('refuses an event with no venue at all', () => {
    const collector = new EventCollector('auth.register', null);
    expect(() => {
      collector.emit('venue.registered', { aggregateId: OTHER_VENUE, data: { name: 'The Stag' } });
    }).toThrow(/without a venue/);
    expect(collector.pending).toEqual([]);
  });

  it('refuses a type its action does not declare, even one the stream knows', () => {
    const collector = new EventCollector('auth.logout', VENUE);
    // The handler's context would not type-check this; a collector is typed for every event type.
    const undeclared: EventType = 'staff.disabled';
    expect(() => {
      collector.emit(undeclared, { aggregateId: STAFF, data: signedOut as never });
    }).toThrow(/auth\.logout emitted staff\.disabled, which it does not declare/);
    expect(collector.pending).toEqual([]);
  });

  it('refuses data that breaks the type’s schema, naming where', () => {
    const collector = new EventCollector('auth.logout', VENUE);
    expect(() => {
      collector.emit('staff.signedOut', { aggregateId: STAFF, data: { ...signedOut, sessions: 'all' } as never });
    }).toThrow(/staff\.signedOut data breaks its schema at .*sessions/);
    expect(() => {
      collector.emit('staff.signedOut', { aggregateId: STAFF, data: { staffId: 'not a uuid', name: 'Aoife', sessions: 'this' } });
    }).toThrow(/breaks its schema at .*staffId/);
    expect(() => {
      collector.emit('staff.signedOut', { aggregateId: STAFF, data: { staffId: STAFF, sessions: 'this' } as never });
    }).toThrow(/breaks its schema/);
    expect(collector.pending).toEqual([]);
  });

  it('keeps every event of the write, in the order emitted, each with its own id', () => {
    const collector = new EventCollector('auth.register', null);
    collector.emit('venue.registered', { aggregateId: VENUE, venueId: VENUE, data: { name: 'The Stag' } });
    collector.emit('staff.created', {
      aggregateId: STAFF,
      venueId: VENUE,
      data: { id: STAFF, name: 'Aoife', email: 'aoife@example.ie', role: 'manager', active: true, mustChangePassword: false, createdAt: '2026-12-04T20:00:00.000Z', hasPin: false },
    });
    expect(collector.pending.map((e) => [e.type, e.aggregateType])).toEqual([
      ['venue.registered', 'venue'],
      ['staff.created', 'staff'],
    ]);
    expect(collector.pending[0]?.id).not.toBe(collector.pending[1]?.id);
  });
});
