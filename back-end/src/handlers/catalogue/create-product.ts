import { Errors, withField } from '@barback/messaging';
import { checkServings } from '../../domain/catalogue.js';
import { recordAudit } from '../../queries/audit.js';
import { getProduct, isDuplicateName } from '../../queries/catalogue.js';
import { defineHandler } from '../types.js';

export default defineHandler({
  action: 'catalogue.createProduct',
  async handle(db, input, ctx) {
    const actor = ctx.actor;
    const product = { ...input, name: input.name.trim() };
    checkServings(product);
    let id: string;
    try {
      const { rows } = await db.query<{ id: string }>(
        `INSERT INTO products (venue_id, name, category, abv, vat_class, unit_ml, unit_cost_cents, par_units)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [actor.venueId, product.name, product.category, product.abv, product.vatClass, product.unitMl, product.unitCostCents, product.parUnits],
      );
      id = rows[0]!.id;
    } catch (err) {
      if (isDuplicateName(err)) throw withField(new Errors.nameTaken(`There is already a product called ${product.name}.`), 'name');
      throw err;
    }
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
    return getProduct(db, actor.venueId, id);
  },
});
