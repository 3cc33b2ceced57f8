import { Type } from '@sinclair/typebox';
import { defineAction } from './define.js';
import { Nullable, Timestamp, Uuid, pageOf, pageRequest } from './common.js';
import { Category } from './catalogue.js';

export const ReorderLine = Type.Object({
  productId: Uuid,
  name: Type.String(),
  category: Category,
  stockUnits: Type.Number(),
  parUnits: Type.Number(),
  /** par − on hand, rounded up to whole stock units. */
  orderUnits: Type.Integer(),
  unitCostCents: Type.Integer(),
  /** orderUnits × unitCostCents. */
  costCents: Type.Integer(),
});

export const ReorderGroup = Type.Object({
  /** The supplier of the product's last invoice; null: never delivered. */
  supplier: Nullable(Type.Object({ id: Uuid, name: Type.String(), email: Nullable(Type.String()), phone: Nullable(Type.String()) })),
  lines: Type.Array(ReorderLine),
  costCents: Type.Integer(),
});

export const STOCK_MOVE_CAUSES = ['opening', 'sale', 'void', 'delivery', 'credit_note', 'wastage', 'stocktake_adjustment'] as const;

export const StockMove = Type.Object({
  id: Type.String({ description: 'The ledger row: its order is the order of the running balance.' }),
  /** Signed, in stock units: negative took stock out. */
  units: Type.Number(),
  /** Stock on hand after this move. */
  balanceUnits: Type.Number(),
  cause: Type.Union(STOCK_MOVE_CAUSES.map((c) => Type.Literal(c))),
  /** The delivery, wastage record or stocktake it came from; null for sales and voids. */
  refId: Nullable(Uuid),
  /** Who moved it; null for sales and voids (the sale says who) and the opening balance. */
  staff: Nullable(Type.Object({ id: Uuid, name: Type.String() })),
  at: Timestamp,
});

export const stockActions = {
  /** Managers: products below par, grouped by the supplier of their last invoice (suppliers by name, never delivered last). */
  'stock.getReorderList': defineAction({
    kind: 'read',
    auth: 'session',
    role: 'manager',
    request: Type.Object({}, { additionalProperties: false }),
    reply: Type.Object({ groups: Type.Array(ReorderGroup), costCents: Type.Integer() }),
  }),
  /**
   * Managers: a product's stock movements, newest first, each with its cause,
   * who, when and the running balance, a page at a time. Moves appear once
   * folded into the ledger (within a second of the write).
   */
  'stock.listStockMoves': defineAction({
    kind: 'read',
    auth: 'session',
    role: 'manager',
    request: Type.Object({ productId: Uuid, ...pageRequest }, { additionalProperties: false }),
    reply: pageOf(StockMove),
  }),
};
