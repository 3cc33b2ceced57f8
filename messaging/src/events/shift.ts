import { CashMovement, Shift, ZReport } from '../contract/shifts.js';
import { defineEvent } from './define.js';

export const shiftEvents = {
  'shift.started': defineEvent({
    version: 1,
    aggregateType: 'shift',
    description:
      'A shift was started with its float: the reply of startShift. (A shift a sale opens with no shift open, float 0, is in the audit log as shift.autoStart, and in its Z.)',
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
