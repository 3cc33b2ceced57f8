import { CashMovement, Shift, ZReport } from '../contract/shifts.js';
import { defineEvent } from './define.js';

export const shiftEvents = {
  'shift.started': defineEvent({
    version: 1,
    aggregateType: 'shift',
    description:
      'A shift was started with its float: the reply of startShift; or opened by a sale, refund, void or cash movement rung with no shift open (float 0, autoOpened true), emitted ahead of that write’s own events in its transaction.',
    data: Shift,
  }),
  'cash.moved': defineEvent({
    version: 1,
    aggregateType: 'shift',
    description: 'Cash was paid into or out of the drawer other than by a sale or refund: the reply of recordCashMovement.',
    data: CashMovement,
  }),
  'shift.closed': defineEvent({
    version: 1,
    aggregateType: 'shift',
    description: 'A shift was closed with its drawer counted: the whole Z report, the reply of closeShift.',
    data: ZReport,
  }),
};
