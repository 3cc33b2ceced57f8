import { addLine, closeTab, getSale, insertTab } from '../../queries/till.js';
import { defineHandler } from '../types.js';

/** A quick sale: a tab opened, rung up and paid in one transaction, so nothing is left half done. */
export default defineHandler({
  action: 'till.recordSale',
  async handle(db, input, ctx) {
    const actor = ctx.actor!;
    // Each line draws stock from its product's row. Locking those rows in one
    // fixed order first means two sales of the same products, rung up in
    // different orders, queue behind each other instead of deadlocking.
    await db.query(
      `SELECT p.id FROM products p
        WHERE p.id IN (SELECT s.product_id FROM servings s WHERE s.id = ANY($1::uuid[]) AND s.venue_id = $2)
        ORDER BY p.id FOR UPDATE`,
      [input.lines.map((l) => l.servingId), actor.venueId],
    );
    const tabId = await insertTab(db, actor, input.name ?? 'Quick sale');
    for (const line of input.lines) await addLine(db, actor, tabId, line.servingId, line.quantity);
    await closeTab(db, actor, tabId, input.payments);
    return getSale(db, actor.venueId, tabId);
  },
});
