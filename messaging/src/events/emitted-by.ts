import type { ActionName, KindOf } from '../contract/index.js';
import type { EventType } from './index.js';

export type WriteActionName = { [A in ActionName]: KindOf<A> extends 'write' ? A : never }[ActionName];

/**
 * The event types each write may emit. The type makes it complete: a new
 * write action does not compile until it says what it emits, and the worker
 * refuses to commit an event its action does not declare here
 * (back-end/src/outbox/). A write that changes nothing may emit nothing (a
 * refused login, a PIN set to what it was); one that commits a change emits.
 */
export const emittedBy = {
  'auth.register': ['venue.registered', 'staff.created'],
  'auth.finishLogin': ['staff.signedIn'],
  'auth.finishPinLogin': ['staff.signedIn'],
  'auth.setPassword': ['staff.passwordChanged', 'staff.signedOut'],
  'auth.setPin': ['staff.pinSet'],
  'auth.logout': ['staff.signedOut'],
  'auth.signOutEverywhere': ['staff.signedOut'],
  'catalogue.createProduct': ['product.created'],
  'catalogue.updateProduct': ['product.updated'],
  'catalogue.archiveProduct': ['product.archived'],
  'catalogue.restoreProduct': ['product.restored'],
  'till.openTab': ['tab.opened'],
  'till.addTabLine': ['tab.lineAdded'],
  // shift.started: a write rung with no shift open opens one (back-end/src/outbox/auto-shift.ts).
  'till.voidTabLine': ['tab.lineVoided', 'shift.started'],
  'till.splitTab': ['tab.split'],
  'till.closeTab': ['tab.closed', 'sale.recorded', 'shift.started'],
  'sales.recordSale': ['sale.recorded', 'shift.started'],
  'sales.refundSale': ['sale.refunded', 'shift.started'],
  'staff.createStaff': ['staff.created'],
  'staff.disableStaff': ['staff.disabled'],
  'staff.enrolTill': ['till.enrolled'],
  'staff.revokeTill': ['till.revoked'],
  'staff.setStaffPin': ['staff.pinSet'],
  'venue.updateSettings': ['venue.settingsUpdated'],
  'suppliers.createSupplier': ['supplier.created'],
  'deliveries.recordDelivery': ['delivery.recorded', 'product.costChanged'],
  'deliveries.importInvoice': ['delivery.invoiceImported'],
  'deliveries.confirmInvoice': ['delivery.recorded', 'product.costChanged', 'supplier.created'],
  'suppliers.mapSupplierItem': ['supplier.itemMapped'],
  'wastage.recordWastage': ['wastage.recorded'],
  'stocktakes.startStocktake': ['stocktake.started'],
  'stocktakes.recordCount': ['stocktake.counted'],
  'stocktakes.closeStocktake': ['stocktake.closed'],
  'shifts.startShift': ['shift.started'],
  'shifts.recordCashMovement': ['cash.moved', 'shift.started'],
  'shifts.closeShift': ['shift.closed'],
} as const satisfies { readonly [A in WriteActionName]: readonly EventType[] };

/** The event types action A may emit, as literal types: a handler cannot emit another (handlers/types.ts). */
export type EmittedBy<A extends WriteActionName> = (typeof emittedBy)[A][number];
