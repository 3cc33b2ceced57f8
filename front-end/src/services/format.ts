/**
 * Display and input conversions for pages. Money stays integer cents in every
 * call and reply; only what a person reads or types is in euro, and only what
 * a person reads or types is in the venue's wall-clock time.
 */

export const DEFAULT_TIME_ZONE = 'Europe/Dublin';

/** The worker's refusals write amounts with the same function: messaging/src/domain/money.ts. */
export { formatEuro } from '@barback/messaging';

/** What a till or a form field shows for an amount to be edited: "6.10", no euro sign. */
export function euroInput(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

const EURO = /^\s*€?\s*(\d{1,7})(?:[.,](\d{1,2}))?\s*$/;

/** "6.10", "6,1", "€6" → cents; anything else (negatives, three decimals, words) → null. */
export function parseEuro(text: string): number | null {
  const m = EURO.exec(text);
  if (!m) return null;
  const fraction = (m[2] ?? '').padEnd(2, '0');
  return Number(m[1]) * 100 + Number(fraction);
}

const DECIMAL = /^\s*(\d{1,9})(?:[.,](\d{1,4}))?\s*$/;

/** A non-negative decimal typed by a person, with a comma or a point: "4,3" → 4.3. */
export function parseDecimal(text: string): number | null {
  const m = DECIMAL.exec(text);
  if (!m) return null;
  return Number(`${m[1]}.${m[2] ?? '0'}`);
}

/** An unknown or misspelt zone stored for a venue must not take every page down with it. */
export function safeTimeZone(timeZone: string | undefined): string {
  if (!timeZone) return DEFAULT_TIME_ZONE;
  try {
    new Intl.DateTimeFormat('en-IE', { timeZone });
    return timeZone;
  } catch {
    return DEFAULT_TIME_ZONE;
  }
}

export function formatTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-IE', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
}

export function formatDateTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-IE', {
    timeZone,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));
}

/** How far the zone's wall clock is ahead of UTC at that instant, in ms. */
function zoneOffsetMs(utcMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(utcMs));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wallAsUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wallAsUtc - Math.floor(utcMs / 1000) * 1000;
}

const LOCAL_INPUT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * An `<input type="datetime-local">` value, read as wall-clock time in the
 * venue's zone, to an ISO instant; null when it is not a real date and time.
 * The offset is taken twice so a time just after a DST change lands right.
 */
export function localInputToIso(value: string, timeZone: string): string | null {
  const m = LOCAL_INPUT.exec(value.trim());
  if (!m) return null;
  // The seconds group is optional: exec leaves it undefined, whatever the array's type says.
  const [year, month, day, hour, minute, second] = m.slice(1).map((v: string | undefined) => Number(v ?? 0)) as [number, number, number, number, number, number];
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(wall);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return null;
  const first = wall - zoneOffsetMs(wall, timeZone);
  return new Date(wall - zoneOffsetMs(first, timeZone)).toISOString();
}

/* ------------------------------------------------------------------ stock */

/** An imperial pint as Irish bars pour it; 88 of them in a 50 l keg. */
const PINT_ML = 568;
/** The measure of spirits sold in Ireland. */
const SPIRIT_MEASURE_ML = 35.5;
/** A glass of wine when the product has no serving called a glass: a quarter of a 75 cl bottle. */
const WINE_GLASS_ML = 187.5;
/** Wine or soft drinks in a unit this big come in a bag-in-box (10 l, 20 l), not a bottle. */
const BOX_FROM_ML = 3000;

/** What formatStock needs of a product: the catalogue's reply has all of it. */
export interface StockProduct {
  category: string;
  unitMl: number | null;
  stockUnits: number;
  servings?: ReadonlyArray<{ name: string; ml: number | null }>;
}

export interface StockWords {
  /** "1 keg + 31.2 pints", "2 bottles + 9 measures", "14 bags", "34 pints below zero". */
  text: string;
  /** More sold than was ever counted in: a delivery or a count is missing. */
  negative: boolean;
}

/** A serving name a count can be given in: one plain word ("Bag", "Can"), not "Pint of Guinness". */
const COUNT_WORD = /^[A-Za-z]{2,20}$/;

const PLURALS: Readonly<Record<string, string>> = { glass: 'glasses', box: 'boxes', ml: 'ml' };

function plural(word: string, n: number): string {
  if (n === 1 || word === 'ml') return word;
  const known = PLURALS[word];
  if (known) return known;
  if (/(s|x|ch|sh)$/.test(word)) return `${word}es`;
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  return `${word}s`;
}

/** At most one decimal, none when whole: 31.2, 55, 1,200. */
function count(n: number): string {
  return new Intl.NumberFormat('en-IE', { maximumFractionDigits: 1 }).format(n);
}

function amount(n: number, word: string): string {
  const rounded = Math.round(n * 10) / 10;
  return word === 'ml' ? `${count(Math.round(n))} ml` : `${count(rounded)} ${plural(word, rounded)}`;
}

/** What a product counted in whole units comes in, by category; crisps and nuts are food sold by the bag. */
const UNIT_CONTAINERS: Readonly<Partial<Record<string, string>>> = { draught: 'keg', bottle: 'bottle', spirit: 'bottle', wine: 'bottle', soft: 'bottle', food: 'bag' };

/** The container one stock unit is, by category and size. */
function containerName(p: StockProduct): string {
  if (p.unitMl === null) {
    // Counted in units: the product's own serving word when it has one (a can, a bag), else the category's.
    const words = new Set((p.servings ?? []).map((s) => s.name.trim()));
    const [only] = words;
    if (['bottle', 'soft', 'food', 'other'].includes(p.category) && words.size === 1 && only && COUNT_WORD.test(only)) {
      return only.toLowerCase();
    }
    return UNIT_CONTAINERS[p.category] ?? 'unit';
  }
  switch (p.category) {
    case 'draught':
      return 'keg';
    case 'spirit':
    case 'bottle':
      return 'bottle';
    case 'wine':
    case 'soft':
      return p.unitMl >= BOX_FROM_ML ? 'box' : 'bottle';
    default:
      return 'unit';
  }
}

/** What the part of an opened container is counted in: pints of a keg, measures of a bottle of spirits, glasses of wine. */
function partOf(p: StockProduct): { name: string; ml: number } {
  if (p.category === 'draught') return { name: 'pint', ml: PINT_ML };
  if (p.category === 'spirit') return { name: 'measure', ml: SPIRIT_MEASURE_ML };
  const withMl = (p.servings ?? []).filter((s): s is { name: string; ml: number } => s.ml !== null && s.ml > 0);
  if (p.category === 'wine') return { name: 'glass', ml: withMl.find((s) => /glass/i.test(s.name))?.ml ?? WINE_GLASS_ML };
  const named = withMl.find((s) => COUNT_WORD.test(s.name.trim()));
  return named ? { name: named.name.trim().toLowerCase(), ml: named.ml } : { name: 'ml', ml: 1 };
}

/**
 * Stock on hand as people count it behind the bar: whole containers and the
 * open one in what it is poured as ("1 keg + 31.2 pints", "2 bottles + 9
 * measures"), or a count of units ("14 bags"), the part to one decimal.
 * Below zero (more sold than counted in) it says so in words as well as in
 * the flag: "34 pints below zero".
 */
export function formatStock(product: StockProduct): StockWords {
  const negative = product.stockUnits < 0;
  const units = Math.abs(product.stockUnits);
  const container = containerName(product);
  const suffix = negative ? ' below zero' : '';
  if (product.unitMl === null || product.unitMl <= 0) return { text: `${amount(units, container)}${suffix}`, negative };

  let whole = Math.floor(units);
  // To a tenth of a ml first: stock is kept to 8 places, and 2.99999999 bottles are 3.
  let restMl = Math.round((units - whole) * product.unitMl * 10) / 10;
  if (restMl >= product.unitMl - 0.05) {
    whole += 1;
    restMl = 0;
  }
  const part = partOf(product);
  const partCount = part.name === 'ml' ? Math.round(restMl) : Math.round((restMl / part.ml) * 10) / 10;
  const pieces: string[] = [];
  if (whole > 0 || partCount === 0) pieces.push(amount(whole, container));
  if (partCount > 0) pieces.push(amount(partCount, part.name));
  return { text: `${pieces.join(' + ')}${suffix}`, negative };
}
