import { Type } from '@sinclair/typebox';
import { defineAction } from './define.js';
import { Nullable, Payments, Quantity, Reason, Text, Timestamp, Uuid, lineFields } from './common.js';
import { Sale } from './sales.js';

export const TabLine = Type.Object({
  ...lineFields,
  addedAt: Timestamp,
  voided: Type.Boolean(),
  voidReason: Nullable(Type.String()),
});

export const Tab = Type.Object({
  id: Uuid,
  name: Type.String(),
  status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  openedAt: Timestamp,
  openedBy: Type.Object({ id: Uuid, name: Type.String() }),
  lines: Type.Array(TabLine),
  /** Sum of the lines not voided. */
  grossCents: Type.Integer(),
});

export const tillActions = {
  'till.openTab': defineAction({
    kind: 'write',
    auth: 'session',
    request: Type.Object({ name: Text(60) }, { additionalProperties: false }),
    reply: Tab,
  }),
  'till.addTabLine': defineAction({
    kind: 'write',
    auth: 'session',
    request: Type.Object({ tabId: Uuid, servingId: Uuid, quantity: Quantity }, { additionalProperties: false }),
    reply: Tab,
  }),
  'till.voidTabLine': defineAction({
    kind: 'write',
    auth: 'session',
    request: Type.Object({ tabId: Uuid, lineId: Uuid, reason: Reason }, { additionalProperties: false }),
    reply: Tab,
  }),
  /**
   * Moves some lines of an open tab to a new open tab, in one transaction, so
   * they can be paid apart (splitting a bill by what each person had). The
   * rest stays on the tab. Its reply is the new tab; audited.
   */
  'till.splitTab': defineAction({
    kind: 'write',
    auth: 'session',
    request: Type.Object(
      {
        tabId: Uuid,
        lineIds: Type.Array(Uuid, { minItems: 1, maxItems: 200, uniqueItems: true }),
        /** The new tab's name; left out, the tab's own name with "(split)" after it. */
        name: Type.Optional(Text(60)),
      },
      { additionalProperties: false },
    ),
    reply: Tab,
  }),
  'till.closeTab': defineAction({
    kind: 'write',
    auth: 'session',
    request: Type.Object({ tabId: Uuid, payments: Payments }, { additionalProperties: false }),
    reply: Sale,
  }),
  'till.listOpenTabs': defineAction({
    kind: 'read',
    auth: 'session',
    request: Type.Object({}, { additionalProperties: false }),
    reply: Type.Object({ items: Type.Array(Tab) }),
  }),
  'till.getTab': defineAction({
    kind: 'read',
    auth: 'session',
    request: Type.Object({ id: Uuid }, { additionalProperties: false }),
    reply: Tab,
  }),
};
