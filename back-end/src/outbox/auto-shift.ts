import { emittedBy, events, type WriteActionName } from '@barback/messaging';
import { newRowId } from '../domain/ids.js';

/**
 * Whether this write's triggers may open a shift (a sale, refund, void or
 * cash movement with none open, migration 0019): the actions that declare
 * shift.started, but startShift, whose handler emits its own.
 */
function mayOpenShift(action: WriteActionName): boolean {
  const declared: readonly string[] = emittedBy[action];
  return action !== 'shifts.startShift' && declared.includes('shift.started');
}

/**
 * For a write that may open a shift, the envelope of the shift.started it
 * would emit: insertEvents (queries/outbox.ts) writes the event with the
 * write's others only if the triggers did open one, ahead of them, as
 * startShift's would read (float 0, autoOpened: true), so a consumer sees the
 * shift start before the sale in it and before its shift.closed. The id is
 * taken before the handler runs, so it is also the oldest of the write's.
 */
export function autoShiftEvent(action: WriteActionName): { id: string; version: number; aggregateType: string } | null {
  if (!mayOpenShift(action)) return null;
  return { id: newRowId(), version: events['shift.started'].version, aggregateType: events['shift.started'].aggregateType };
}
