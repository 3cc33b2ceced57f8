import { formatEuro, type EventData, type EventType } from '@barback/messaging';

/** An event as the feed gets it: any type, its data as that type's schema says. */
interface FeedEvent {
  type: string;
  occurredAt: string;
  data: unknown;
}

const METHOD_WORDS: Record<string, string> = { card: 'card', cash: 'cash', other: 'other' };

interface Line {
  description: string;
  quantity: number;
}

/** "Guinness (Pint) ×2, Tayto Crisps": at most three lines, then how many more. */
function lines(list: readonly Line[]): string {
  const shown = list.slice(0, 3).map((l) => (l.quantity > 1 ? `${l.description} ×${l.quantity}` : l.description));
  if (list.length > 3) shown.push(`${list.length - 3} more`);
  return shown.join(', ');
}

/** "card", "cash and card": each method once, in the order paid. */
function methods(payments: readonly { method: string }[]): string {
  const seen = [...new Set(payments.map((p) => METHOD_WORDS[p.method] ?? p.method))];
  return seen.length > 1 ? `${seen.slice(0, -1).join(', ')} and ${seen[seen.length - 1]}` : (seen[0] ?? '');
}

const units = (n: number, word = 'unit') => `${n} ${word}${n === 1 ? '' : 's'}`;

type Describe<T extends EventType> = (data: EventData<T>) => string;

/** Each type in words; a type added later and not listed here still shows, by its name. */
const SAY: { [T in EventType]?: Describe<T> } = {
  'sale.recorded': (d) => `${lines(d.lines.filter((l) => l.quantity > 0))} — ${formatEuro(d.grossCents)}, ${methods(d.payments)}`,
  'sale.refunded': (d) => `Refund of ${units(d.lines.length, 'line')} — ${formatEuro(d.grossCents)}: ${d.reason}`,
  'tab.opened': (d) => `Tab opened: ${d.name}`,
  'tab.lineAdded': (d) => `On a tab: ${lines([d.line])} — tab now ${formatEuro(d.tabGrossCents)}`,
  'tab.lineVoided': (d) => `Taken off a tab: ${lines([d.line])}${d.line.voidReason ? ` (${d.line.voidReason})` : ''} — tab now ${formatEuro(d.tabGrossCents)}`,
  'tab.split': (d) => `Bill split: ${d.tab.name} takes ${formatEuro(d.tab.grossCents)}`,
  'tab.closed': (d) => `Tab paid — ${formatEuro(d.grossCents)}`,
  'product.created': (d) => `New product: ${d.name}`,
  'product.updated': (d) => {
    const prices = d.priceChanges
      .filter((c) => c.oldPriceCents !== null && c.newPriceCents !== null)
      .map((c) => `${c.name} ${formatEuro(c.oldPriceCents ?? 0)} → ${formatEuro(c.newPriceCents ?? 0)}`);
    return `Product changed: ${d.product.name}${prices.length ? ` (${prices.join(', ')})` : ''}`;
  },
  'product.archived': (d) => `Product off the till: ${d.name}`,
  'product.restored': (d) => `Product back on the till: ${d.name}`,
  'stock.belowPar': (d) => `Below par: ${d.name} — order ${units(d.orderUnits)}`,
  'stock.backToPar': (d) => `Back to par: ${d.name}`,
  'staff.created': (d) => `New ${d.role}: ${d.name}`,
  'staff.disabled': (d) => `Account disabled: ${d.name}`,
  'staff.signedIn': (d) => `${d.name} signed in${d.via === 'pin' ? ' on a till' : ''}`,
  'staff.signedOut': (d) => `${d.name} signed out${d.sessions === 'others' ? ' everywhere else' : ''}`,
  'staff.passwordChanged': (d) => `${d.name} changed their password`,
  'staff.pinSet': (d) => `Till PIN set for ${d.name}`,
  'till.enrolled': (d) => `Till enrolled: ${d.name}`,
  'till.revoked': (d) => `Till revoked: ${d.name}`,
  'venue.registered': (d) => `${d.name} registered`,
  'venue.settingsUpdated': () => 'Settings changed',
};

/** What kind of thing happened, for the feed's marker: money in, money out, stock, or the rest. */
export function eventKind(type: string): 'sale' | 'refund' | 'stock' | 'tab' | 'other' {
  if (type === 'sale.recorded') return 'sale';
  if (type === 'sale.refunded') return 'refund';
  if (type.startsWith('stock.')) return 'stock';
  if (type.startsWith('tab.')) return 'tab';
  return 'other';
}

/** One event as a line of the dashboard's feed: "Guinness (Pint) ×2 — €11.20, card". */
export function describeEvent(e: FeedEvent): string {
  const say = (SAY as Record<string, ((data: unknown) => string) | undefined>)[e.type];
  if (!say) return e.type;
  try {
    return say(e.data);
  } catch {
    // Data of a newer version than this front end knows: the type's name still says what happened.
    return e.type;
  }
}
