import { emittedBy, type WriteActionName } from '@barback/messaging';
import { autoOpenedShift } from '../queries/shifts.js';
import type { Queryable } from '../types.js';
import type { EventCollector } from './emitter.js';

/**
 * Whether this write's triggers may open a shift (a sale, refund, void or
 * cash movement with none open, migration 0019): the actions that declare
 * shift.started, but startShift, whose handler emits its own. Only these pay
 * for the look-up.
 */
function mayOpenShift(action: WriteActionName): boolean {
  const declared: readonly string[] = emittedBy[action];
  return action !== 'shifts.startShift' && declared.includes('shift.started');
}

/**
 * A shift the write opened goes on the stream as shift.started, as
 * startShift's would (float 0, autoOpened: true), ahead of the write's own
 * events and in its transaction: a consumer sees the shift start before the
 * sale in it, and before its shift.closed. The triggers open it, not the
 * handler, so it is asked for here, after the handler, for every write path.
 */
export async function emitOpenedShift(tx: Queryable, action: WriteActionName, collector: EventCollector): Promise<void> {
  if (!mayOpenShift(action)) return;
  const shift = await autoOpenedShift(tx);
  if (!shift) return;
  collector.emitFirst('shift.started', {
    aggregateId: shift.id,
    data: {
      id: shift.id,
      openedAt: shift.openedAt.toISOString(),
      openedBy: shift.openedBy,
      floatCents: shift.floatCents,
      autoOpened: shift.autoOpened,
    },
  });
}
