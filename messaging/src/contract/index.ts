import type { Static } from '@sinclair/typebox';
import { auditActions } from './audit.js';
import { authActions } from './auth.js';
import { catalogueActions } from './catalogue.js';
import { staffActions } from './staff.js';
import { salesActions } from './sales.js';
import { systemActions } from './system.js';
import { tillActions } from './till.js';
import { venueActions } from './venue.js';
import { eventsActions } from './events.js';
import { dashboardActions } from './dashboard.js';
import { suppliersActions } from './suppliers.js';
import { deliveriesActions } from './deliveries.js';
import { wastageActions } from './wastage.js';
import { stocktakesActions } from './stocktakes.js';
import { stockActions } from './stock.js';
import { vatActions } from './vat.js';
import { shiftsActions } from './shifts.js';

export * from './common.js';
export * from './audit.js';
export * from './auth.js';
export * from './catalogue.js';
export * from './sales.js';
export * from './staff.js';
export * from './till.js';
export * from './venue.js';
export * from './events.js';
export * from './dashboard.js';
export * from './suppliers.js';
export * from './deliveries.js';
export * from './wastage.js';
export * from './stocktakes.js';
export * from './stock.js';
export * from './vat.js';
export * from './shifts.js';
export type { ActionDefinition, ActionKind } from './define.js';

/** Every action a front end may send and a worker must answer: the single source of truth for both sides. */
export const actions = {
  ...systemActions,
  ...authActions,
  ...catalogueActions,
  ...tillActions,
  ...salesActions,
  ...staffActions,
  ...auditActions,
  ...venueActions,
  ...eventsActions,
  ...dashboardActions,
  ...suppliersActions,
  ...deliveriesActions,
  ...wastageActions,
  ...stocktakesActions,
  ...stockActions,
  ...vatActions,
  ...shiftsActions,
};

export type Actions = typeof actions;
export type ActionName = keyof Actions;
export type RequestOf<A extends ActionName> = Static<Actions[A]['request']>;
export type ReplyOf<A extends ActionName> = Static<Actions[A]['reply']>;
export type KindOf<A extends ActionName> = Actions[A]['kind'];

/**
 * Names the actions had before every area followed `<area>.<verbNoun>`: a
 * worker of this release still answers a front end of the last one during a
 * rolling update (docs/deploy.md). Drop them in the release after.
 */
const formerNames: Readonly<Partial<Record<string, ActionName>>> = {
  'staff.create': 'staff.createStaff',
  'staff.disable': 'staff.disableStaff',
  'staff.list': 'staff.listStaff',
  'audit.list': 'audit.listAuditEntries',
  'till.recordSale': 'sales.recordSale',
  'sales.list': 'sales.listSales',
  'sales.get': 'sales.getSale',
  'sales.refund': 'sales.refundSale',
};

/** The action a message names, under its current name. */
export function currentActionName(name: string): string {
  return (Object.hasOwn(formerNames, name) ? formerNames[name] : undefined) ?? name;
}

export function isActionName(name: unknown): name is ActionName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(actions, name);
}
