import { Errors, withField } from '@barback/messaging';
import { checkServings } from '../../domain/catalogue.js';
import { checkWeights } from '../../domain/stocktake.js';
import { recordAudit } from '../../queries/audit.js';
import { getProduct, isDuplicateName, lockCatalogueOrder, placeInCategory, renumberCategory, type Product } from '../../queries/catalogue.js';
import { onlyRow } from '../../queries/rows.js';
import { defineHandler } from '../types.js';

/** The product as a manager shapes it: stock on hand moves with sales, and updated_at with any field. */
function editable(p: Product): string {
  return JSON.stringify({ ...p, stockUnits: 0, updatedAt: '' });
}

const FIELDS = {
  name: 'name',
  category: 'category',
  abv: 'abv',
  vatClass: 'vat_class',
  unitMl: 'unit_ml',
  unitCostCents: 'unit_cost_cents',
  parUnits: 'par_units',
  fullWeightGrams: 'full_weight_grams',
  emptyWeightGrams: 'empty_weight_grams',
  location: 'location',
} as const;

/**
 * Changes a product in place; its servings are changed, added or retired, never
 * deleted, so sales that used a serving keep pointing at it. Sales carry their
 * own price, so a new price never alters a sale already recorded.
 */
export default defineHandler({
  action: 'catalogue.updateProduct',
  async handle(db, input, ctx) {
    const actor = ctx.actor;
    // The catalogue's order first (see lockCatalogueOrder), then the row, so
    // two managers editing at once apply one after the other.
    await lockCatalogueOrder(db, actor.venueId);
    const lock = await db.query('SELECT id FROM products WHERE id = $1 AND venue_id = $2 FOR UPDATE', [input.id, actor.venueId]);
    if (!lock.rowCount) throw new Errors.notFound('Product');
    const before = await getProduct(db, actor.venueId, input.id);

    const after = {
      name: input.name?.trim() ?? before.name,
      category: input.category ?? before.category,
      abv: input.abv ?? before.abv,
      vatClass: input.vatClass ?? before.vatClass,
      unitMl: input.unitMl === undefined ? before.unitMl : input.unitMl,
      unitCostCents: input.unitCostCents ?? before.unitCostCents,
      parUnits: input.parUnits ?? before.parUnits,
      fullWeightGrams: input.fullWeightGrams === undefined ? before.fullWeightGrams : input.fullWeightGrams,
      emptyWeightGrams: input.emptyWeightGrams === undefined ? before.emptyWeightGrams : input.emptyWeightGrams,
      // Kept trimmed, so " Cellar" and "Cellar" are one shelf on the count sheet.
      location: input.location === undefined ? before.location : (input.location?.trim() ?? null),
    };
    checkWeights(after.fullWeightGrams, after.emptyWeightGrams);
    const existing = new Map(before.servings.map((s) => [s.id, s]));
    const servings = input.servings ?? before.servings;
    servings.forEach((s, i) => {
      if (s.id && !existing.has(s.id)) throw withField(new Errors.notFound('Serving'), `servings.${i}.id`);
    });
    checkServings({ name: after.name, abv: after.abv, unitMl: after.unitMl, servings });

    const changed = (Object.keys(FIELDS) as Array<keyof typeof FIELDS>).filter((k) => after[k] !== before[k]);
    if (changed.length) {
      try {
        await db.query(
          `UPDATE products SET ${changed.map((k, i) => `${FIELDS[k]} = $${i + 3}`).join(', ')}, updated_at = now()
            WHERE id = $1 AND venue_id = $2`,
          [input.id, actor.venueId, ...changed.map((k) => after[k])],
        );
      } catch (err) {
        if (isDuplicateName(err)) throw withField(new Errors.nameTaken(`There is already a product called ${after.name}.`), 'name');
        throw err;
      }
    }

    // Its place on the till: moved when asked, last in a new category. An
    // archived product has no place until it is restored (last, then).
    const moved = after.category !== before.category;
    if (!before.archived && (moved || (input.sortOrder !== undefined && input.sortOrder !== before.sortOrder))) {
      await placeInCategory(db, actor.venueId, input.id, after.category, input.sortOrder ?? null);
      if (moved) await renumberCategory(db, actor.venueId, before.category);
    }

    const priceChanges: Array<{ servingId: string; serving: string; fromCents: number | null; toCents: number | null }> = [];
    if (input.servings) {
      const kept = new Set<string>();
      for (const [position, s] of input.servings.entries()) {
        if (s.id) {
          kept.add(s.id);
          const old = existing.get(s.id);
          // Checked above, before anything was written.
          if (!old) throw withField(new Errors.notFound('Serving'), `servings.${position}.id`);
          await db.query('UPDATE servings SET name = $2, ml = $3, price_cents = $4, position = $5 WHERE id = $1', [
            s.id,
            s.name.trim(),
            s.ml,
            s.priceCents,
            position,
          ]);
          if (old.priceCents !== s.priceCents) {
            priceChanges.push({ servingId: s.id, serving: s.name, fromCents: old.priceCents, toCents: s.priceCents });
          }
        } else {
          const inserted = await db.query<{ id: string }>(
            'INSERT INTO servings (product_id, venue_id, name, ml, price_cents, position) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
            [input.id, actor.venueId, s.name.trim(), s.ml, s.priceCents, position],
          );
          priceChanges.push({ servingId: onlyRow(inserted).id, serving: s.name, fromCents: null, toCents: s.priceCents });
        }
      }
      const retired = before.servings.filter((s) => !kept.has(s.id));
      if (retired.length) {
        await db.query('UPDATE servings SET active = false WHERE id = ANY($1::uuid[])', [retired.map((s) => s.id)]);
        for (const s of retired) priceChanges.push({ servingId: s.id, serving: s.name, fromCents: s.priceCents, toCents: null });
      }
    }

    for (const change of priceChanges) {
      await recordAudit(db, {
        venueId: actor.venueId,
        staffId: actor.staffId,
        action: 'price.change',
        entityType: 'product',
        entityId: input.id,
        details: { product: after.name, ...change },
      });
    }
    if (changed.length) {
      await recordAudit(db, {
        venueId: actor.venueId,
        staffId: actor.staffId,
        action: 'product.update',
        entityType: 'product',
        entityId: input.id,
        // The name as it is now, so the audit log can say which product without looking it up (a place
        // on the till is not audited: it changes no price, stock or sale).
        details: { product: after.name, ...Object.fromEntries(changed.map((k) => [k, { from: before[k], to: after[k] }])) },
      });
    }
    const product = await getProduct(db, actor.venueId, input.id);
    // Saving the form unchanged commits nothing worth announcing (a serving rewritten with its own values).
    if (editable(product) !== editable(before)) {
      ctx.emit('product.updated', {
        aggregateId: input.id,
        data: {
          product,
          priceChanges: priceChanges.map((c) => ({
            servingId: c.servingId,
            name: c.serving,
            oldPriceCents: c.fromCents,
            newPriceCents: c.toCents,
          })),
        },
      });
    }
    return product;
  },
});
