import { Errors, withField } from '@barback/messaging';
import { checkServings } from '../../domain/catalogue.js';
import { checkWeights } from '../../domain/stocktake.js';
import { recordAudit } from '../../queries/audit.js';
import { getProduct, isDuplicateName, lockCatalogueOrder, placeInCategory } from '../../queries/catalogue.js';
import { onlyRow } from '../../queries/rows.js';
import { defineHandler } from '../types.js';

export default defineHandler({
  action: 'catalogue.createProduct',
  async handle(db, input, ctx) {
    const actor = ctx.actor;
    const product = { ...input, name: input.name.trim(), location: input.location?.trim() ?? null };
    checkServings(product);
    checkWeights(product.fullWeightGrams ?? null, product.emptyWeightGrams ?? null);
    await lockCatalogueOrder(db, actor.venueId);
    let id: string;
    try {
      const inserted = await db.query<{ id: string }>(
        `INSERT INTO products (venue_id, name, category, abv, vat_class, unit_ml, unit_cost_cents, par_units, full_weight_grams, empty_weight_grams, location)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
        [
          actor.venueId,
          product.name,
          product.category,
          product.abv,
          product.vatClass,
          product.unitMl,
          product.unitCostCents,
          product.parUnits,
          product.fullWeightGrams ?? null,
          product.emptyWeightGrams ?? null,
          product.location,
        ],
      );
      id = onlyRow(inserted).id;
    } catch (err) {
      if (isDuplicateName(err)) throw withField(new Errors.nameTaken(`There is already a product called ${product.name}.`), 'name');
      throw err;
    }
    // Last in its category unless a place was asked for.
    await placeInCategory(db, actor.venueId, id, product.category, product.sortOrder ?? null);
    for (const [position, serving] of product.servings.entries()) {
      await db.query(
        'INSERT INTO servings (product_id, venue_id, name, ml, price_cents, position) VALUES ($1, $2, $3, $4, $5, $6)',
        [id, actor.venueId, serving.name.trim(), serving.ml, serving.priceCents, position],
      );
    }
    await recordAudit(db, {
      venueId: actor.venueId,
      staffId: actor.staffId,
      action: 'product.create',
      entityType: 'product',
      entityId: id,
      details: { name: product.name, servings: product.servings.map((s) => ({ name: s.name, priceCents: s.priceCents })) },
    });
    const created = await getProduct(db, actor.venueId, id);
    ctx.emit('product.created', { aggregateId: id, data: created });
    return created;
  },
});
