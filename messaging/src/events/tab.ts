import { Type } from '@sinclair/typebox';
import { Uuid } from '../contract/common.js';
import { Tab, TabLine } from '../contract/till.js';
import { defineEvent } from './define.js';

/** A line's change, with the tab's total after it, so a dashboard keeps open tabs' value without reading the tab. */
const LineChange = Type.Object({ tabId: Uuid, line: TabLine, tabGrossCents: Type.Integer() });

export const tabEvents = {
  'tab.opened': defineEvent({ version: 1, aggregateType: 'tab', description: 'A tab was opened; the data is the tab.', data: Tab }),
  'tab.lineAdded': defineEvent({ version: 1, aggregateType: 'tab', description: 'A line was rung onto an open tab.', data: LineChange }),
  'tab.lineVoided': defineEvent({ version: 1, aggregateType: 'tab', description: 'A line of an open tab was voided, with the reason.', data: LineChange }),
  'tab.split': defineEvent({
    version: 1,
    aggregateType: 'tab',
    description: 'Lines moved from one open tab to a new one; the aggregate is the tab they left.',
    data: Type.Object({ fromTabId: Uuid, fromGrossCents: Type.Integer(), tab: Tab }),
  }),
  'tab.closed': defineEvent({
    version: 1,
    aggregateType: 'tab',
    description: 'A tab was paid and closed; its sale follows as sale.recorded in the same transaction.',
    data: Type.Object({ tabId: Uuid, saleId: Uuid, grossCents: Type.Integer() }),
  }),
};
