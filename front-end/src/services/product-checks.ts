/**
 * Warnings about a product's sizes and VAT class that a person should look
 * at before saving: sizes that are possible but nearly always a slip (a unit
 * of 5 ml, a serving of 0.5 ml, a pint drawn from a 330 ml unit). They warn
 * and ask for a confirming tick instead of refusing, because each has a
 * legitimate odd case (a bucket of five bottles draws five units, a carafe a
 * bottle and a third), and a refusal would leave a manager no way to sell it.
 */

/** Smaller than any container a bar buys: a miniature of spirits is 50 ml. */
const UNIT_MIN_ML = 20;
/** Bigger than any keg: the largest common keg is 50 l, a few are 100 l. */
const UNIT_MAX_ML = 100_000;
/** Less than any drink is sold as: a slip of the unit (0.5 for 0.5 l). */
const SERVING_MIN_ML = 5;
/** Beer at 0.5% ABV or less is sold as alcohol-free. */
const ALCOHOL_FROM_ABV = 0.5;

export interface CheckedProduct {
  category: string;
  abv: number;
  vatClass: string;
  unitMl: number | null;
  servings: ReadonlyArray<{ name: string; ml: number | null }>;
}

export interface ProductWarning {
  /** The field as the API names it: unitMl, vatClass, servings.<index in the list>.ml. */
  field: string;
  message: string;
}

const ml = (n: number) => `${new Intl.NumberFormat('en-IE', { maximumFractionDigits: 1 }).format(n)} ml`;

/** Everything odd about the product's sizes and VAT class, in the order of the form. */
export function productWarnings(p: CheckedProduct): ProductWarning[] {
  const warnings: ProductWarning[] = [];
  if (p.vatClass === 'reduced' && p.abv > ALCOHOL_FROM_ABV) {
    warnings.push({ field: 'vatClass', message: 'Alcohol is always at the standard rate; the reduced rate is for food and catering.' });
  } else if (p.vatClass === 'reduced' && p.category === 'soft') {
    warnings.push({ field: 'vatClass', message: 'Soft drinks and bottled water are at the standard rate, even served with a meal.' });
  }
  if (p.unitMl === null) {
    if (p.category === 'draught') {
      warnings.push({
        field: 'unitMl',
        message: 'A draught product with no ml per stock unit draws a whole keg for every serving. Enter the keg size, like 50000 for a 50 l keg.',
      });
    }
  } else if (p.unitMl < UNIT_MIN_ML) {
    warnings.push({
      field: 'unitMl',
      message: `A stock unit of ${ml(p.unitMl)} is smaller than any bottle or keg. Sizes are in ml: a 70 cl bottle is 700, a 50 l keg 50000.`,
    });
  } else if (p.unitMl > UNIT_MAX_ML) {
    warnings.push({
      field: 'unitMl',
      message: `A stock unit of ${ml(p.unitMl)} is ${new Intl.NumberFormat('en-IE').format(p.unitMl / 1000)} l, bigger than any keg. A 50 l keg is 50000.`,
    });
  }
  p.servings.forEach((s, i) => {
    if (s.ml === null) return;
    const field = `servings.${i}.ml`;
    if (s.ml < SERVING_MIN_ML) {
      warnings.push({ field, message: `${s.name}: ${ml(s.ml)} is less than any drink. Sizes are in ml: a pint is 568, a measure 35.5.` });
    } else if (p.unitMl !== null && s.ml > p.unitMl) {
      const units = new Intl.NumberFormat('en-IE', { maximumFractionDigits: 2 }).format(s.ml / p.unitMl);
      warnings.push({
        field,
        message: `${s.name}: ${ml(s.ml)} is more than one stock unit (${ml(p.unitMl)}); each one sold takes ${units} units from stock.`,
      });
    }
  });
  return warnings;
}
