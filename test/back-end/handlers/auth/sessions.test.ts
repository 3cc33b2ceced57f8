/**
 * Sessions in the worker (db/migrations/0012_sessions.sql): register and
 * login start one; a message naming an ended session is refused on reads and
 * writes alike, in the same read that checks the account; logout ends one,
 * sign out everywhere and a password change all the others, a disable all.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Caller, addStaff, createVenue, passwordHash, refusal, startRig, type Rig, type Venue } from '../../../helpers/venue.js';

let rig: Rig;
let venue: Venue;

beforeAll(async () => {
  rig = await startRig();
  venue = await createVenue(rig, 'sessions');
});
afterAll(async () => {
  await rig?.close();
});

/** A new session of the account behind `caller`, as finishLogin starts one. */
async function signIn(caller: Caller, client = '192.0.2.10'): Promise<Caller> {
  const email = caller.session.staff.email;
  const finished = await rig.client.call('auth.finishLogin', { email, client, staffId: caller.staffId, success: true });
  expect(finished.session).not.toBeNull();
  return new Caller(rig, { ...caller.actor, sessionId: finished.session!.sessionId }, caller.session);
}

async function refusedEverywhere(caller: Caller): Promise<void> {
  for (const err of [await caller.error('auth.me', {}), await caller.error('till.openTab', { name: 'ghost tab' })]) {
    expect({ code: err.code, statusCode: err.statusCode }).toEqual({ code: 'BB_SESSION_INVALID', statusCode: 401 });
  }
}

describe('a session', () => {
  it('starts with register and with login, each with an id of its own', async () => {
    const registered = await rig.client.call('auth.register', { venueName: 'Session Bar', name: 'Nora', email: `nora-${Date.now()}@example.ie`, passwordHash: await passwordHash() });
    expect(registered.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    const a = await signIn(venue.manager);
    const b = await signIn(venue.manager);
    expect(a.actor.sessionId).not.toBe(b.actor.sessionId);
    expect((await a.call('auth.me', {})).staff.id).toBe(venue.manager.staffId);
    expect((await b.call('till.openTab', { name: 'tab b' })).name).toBe('tab b');
  });

  it('ends with logout: that session only', async () => {
    const leaving = await signIn(venue.manager);
    const staying = await signIn(venue.manager);
    expect(await leaving.call('auth.logout', {})).toEqual({ sessionsEnded: 1 });
    await refusedEverywhere(leaving);
    expect((await staying.call('auth.me', {})).staff.id).toBe(venue.manager.staffId);
    // Logging out of an ended session is refused like any other action.
    expect((await refusal(leaving.call('auth.logout', {}))).code).toBe('BB_SESSION_INVALID');
  });

  it('ends for every other session of the person with sign out everywhere, and with a password change', async () => {
    const bartender = await addStaff(venue, 'bartender');
    const [here, there, elsewhere] = [await signIn(bartender), await signIn(bartender), await signIn(bartender)];
    expect(await here.call('auth.signOutEverywhere', {})).toEqual({ sessionsEnded: 2 });
    await refusedEverywhere(there);
    await refusedEverywhere(elsewhere);
    expect((await here.call('auth.me', {})).staff.id).toBe(bartender.staffId);

    const other = await signIn(bartender);
    await here.call('auth.setPassword', { passwordHash: await passwordHash() });
    await refusedEverywhere(other);
    expect((await here.call('auth.me', {})).staff.id).toBe(bartender.staffId);
    // The manager's sessions are nobody else's business.
    expect((await venue.manager.call('auth.me', {})).staff.id).toBe(venue.manager.staffId);
  });

  it('ends, all of them, when the account is disabled', async () => {
    const bartender = await addStaff(venue, 'bartender');
    const session = await signIn(bartender);
    await venue.manager.call('staff.disableStaff', { staffId: bartender.staffId });
    await refusedEverywhere(session);
    const db = await rig.primary();
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM sessions WHERE staff_id = $1', [bartender.staffId]);
    expect(rows[0]!.n).toBe(0);
  });

  it('ends at its absolute lifetime whatever the cookie says, and its row goes at the next login', async () => {
    const bartender = await addStaff(venue, 'bartender');
    const old = await signIn(bartender);
    const db = await rig.primary();
    await db.query("UPDATE sessions SET expires_at = now() - interval '1 second' WHERE id = $1", [old.actor.sessionId]);
    await refusedEverywhere(old);
    await signIn(bartender);
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM sessions WHERE id = $1', [old.actor.sessionId]);
    expect(rows[0]!.n).toBe(0);
  });

  it("is another person's session: naming it with your own account is refused", async () => {
    const bartender = await addStaff(venue, 'bartender');
    const managers = await signIn(venue.manager);
    const borrowed = new Caller(rig, { ...bartender.actor, sessionId: managers.actor.sessionId! }, bartender.session);
    await refusedEverywhere(borrowed);
  });
});
