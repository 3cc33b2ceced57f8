/**
 * A realistic bar catalogue for the benchmark's venue (pure): draught, bottles,
 * spirits, wine, soft drinks and food, two servings each, every alcoholic
 * serving priced above the minimum unit price.
 */

export interface ServingSeed {
  name: string;
  ml: number | null;
  priceCents: number;
}

export interface ProductSeed {
  name: string;
  category: 'draught' | 'bottle' | 'spirit' | 'wine' | 'soft' | 'food' | 'other';
  abv: number;
  vatClass: 'standard' | 'reduced';
  unitMl: number | null;
  unitCostCents: number;
  parUnits: number;
  servings: ServingSeed[];
}

/** Ireland's minimum unit price: 10 cent per gram of alcohol (ethanol 0.789 g/ml). */
export function minimumPriceCents(ml: number, abv: number): number {
  return Math.ceil(ml * (abv / 100) * 0.789 * 10);
}

const DRAUGHT: [string, number, number][] = [
  ['Guinness', 4.2, 580],
  ['Heineken', 4.3, 600],
  ["Smithwick's Red Ale", 3.8, 590],
  ['Coors Light', 4.0, 590],
  ['Rockshore Lager', 4.0, 590],
  ['Hop House 13', 4.1, 610],
  ['Beamish Stout', 4.1, 560],
  ["Murphy's Irish Stout", 4.0, 560],
  ['Carlsberg', 3.8, 580],
  ['Bulmers Draught', 4.5, 620],
  ['Birra Moretti', 4.6, 650],
  ['Kilkenny', 4.3, 600],
  ['Galway Hooker IPA', 4.4, 680],
  ["O'Hara's Irish Red", 4.3, 660],
];

const BOTTLES: [string, number, number][] = [
  ['Corona Extra', 4.5, 620],
  ['Budweiser', 4.5, 580],
  ['Peroni Nastro Azzurro', 5.1, 620],
  ['Heineken 0.0', 0, 450],
  ['Magners Original', 4.5, 620],
  ['Sol', 4.5, 600],
  ['Erdinger Weissbier', 5.3, 690],
  ['Brewdog Punk IPA', 5.4, 680],
  ['Kopparberg Strawberry & Lime', 4.0, 640],
  ['Desperados', 5.9, 650],
];

const SPIRITS: [string, number, number][] = [
  ['Jameson', 40, 560],
  ['Powers Gold Label', 40, 560],
  ['Bushmills Original', 40, 560],
  ['Tullamore D.E.W.', 40, 560],
  ['Redbreast 12', 40, 950],
  ['Glenfiddich 12', 40, 850],
  ["Gordon's Gin", 37.5, 540],
  ['Dingle Gin', 42.5, 700],
  ['Cork Dry Gin', 37.5, 520],
  ['Smirnoff Red', 37.5, 520],
  ['Absolut', 40, 540],
  ['Bacardi Carta Blanca', 37.5, 530],
  ['Captain Morgan Spiced', 35, 540],
  ["Hennessy VS", 40, 750],
  ["Baileys Original", 17, 520],
  ['Jägermeister', 35, 540],
];

const WINES: [string, number, number][] = [
  ['House Red (Merlot)', 13, 750],
  ['House White (Sauvignon Blanc)', 12.5, 750],
  ['Rioja Crianza', 13.5, 850],
  ['Pinot Grigio', 12, 780],
  ['Prosecco', 11, 900],
  ['Malbec', 13.5, 880],
  ['Chardonnay', 13, 820],
  ['Rosé (Côtes de Provence)', 12.5, 860],
];

const SOFTS: [string, number][] = [
  ['Coca-Cola', 350],
  ['Diet Coke', 350],
  ['Club Orange', 350],
  ['Lemonade', 320],
  ['Soda Water', 250],
  ['Ginger Ale', 300],
  ['Tonic Water', 300],
];

const FOOD: [string, number][] = [
  ['Toasted Special', 650],
  ['Soup of the Day', 600],
  ['Tayto Crisps', 180],
  ['Dry Roasted Peanuts', 200],
  ['Cheese Board', 1200],
];

function atLeastMup(servings: ServingSeed[], abv: number, unitMl: number | null): ServingSeed[] {
  return servings.map((s) => {
    const ml = s.ml ?? unitMl;
    const min = ml !== null && abv > 0 ? minimumPriceCents(ml, abv) : 0;
    return { ...s, priceCents: Math.max(s.priceCents, min) };
  });
}

/** The 60 products of a typical pub. */
export function baseCatalogue(): ProductSeed[] {
  const out: ProductSeed[] = [];
  for (const [name, abv, pint] of DRAUGHT) {
    out.push({
      name, category: 'draught', abv, vatClass: 'standard', unitMl: 50_000, unitCostCents: 19_500, parUnits: 2,
      servings: atLeastMup([{ name: 'Pint', ml: 568, priceCents: pint }, { name: 'Half', ml: 284, priceCents: Math.round(pint * 0.55) }], abv, 50_000),
    });
  }
  for (const [name, abv, price] of BOTTLES) {
    out.push({
      name, category: 'bottle', abv, vatClass: 'standard', unitMl: 330, unitCostCents: 160, parUnits: 48,
      servings: atLeastMup([{ name: 'Bottle', ml: null, priceCents: price }, { name: 'Two bottles', ml: 660, priceCents: price * 2 - 50 }], abv, 330),
    });
  }
  for (const [name, abv, single] of SPIRITS) {
    out.push({
      name, category: 'spirit', abv, vatClass: 'standard', unitMl: 700, unitCostCents: 2_400, parUnits: 3,
      servings: atLeastMup([{ name: 'Single', ml: 35.5, priceCents: single }, { name: 'Double', ml: 71, priceCents: Math.round(single * 1.8) }], abv, 700),
    });
  }
  for (const [name, abv, glass] of WINES) {
    out.push({
      name, category: 'wine', abv, vatClass: 'standard', unitMl: 750, unitCostCents: 900, parUnits: 12,
      servings: atLeastMup([{ name: 'Glass', ml: 187, priceCents: glass }, { name: 'Bottle', ml: null, priceCents: glass * 4 - 200 }], abv, 750),
    });
  }
  for (const [name, price] of SOFTS) {
    out.push({
      name, category: 'soft', abv: 0, vatClass: 'standard', unitMl: 10_000, unitCostCents: 900, parUnits: 2,
      servings: [{ name: 'Glass', ml: 330, priceCents: price }, { name: 'Pint', ml: 568, priceCents: price + 150 }],
    });
  }
  for (const [name, price] of FOOD) {
    out.push({
      name, category: 'food', abv: 0, vatClass: 'reduced', unitMl: null, unitCostCents: Math.round(price * 0.3), parUnits: 20,
      servings: [{ name: 'Regular', ml: null, priceCents: price }, { name: 'Large', ml: null, priceCents: Math.round(price * 1.5) }],
    });
  }
  return out;
}

/** `count` products: the base catalogue, then numbered variants of it (names stay unique per venue). */
export function makeCatalogue(count: number): ProductSeed[] {
  const base = baseCatalogue();
  const out: ProductSeed[] = [];
  for (let i = 0; i < count; i++) {
    const p = base[i % base.length];
    if (!p) throw new Error('the base catalogue is empty');
    const round = Math.floor(i / base.length);
    out.push(round === 0 ? p : { ...p, name: `${p.name} #${round + 1}` });
  }
  return out;
}
