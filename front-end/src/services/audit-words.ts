/**
 * The audit log in words a manager reads at a glance: "Void: Table 4, 1 ×
 * Guinness (Pint) €6.20, reason: rang twice" instead of codes, ids and JSON.
 * Entries keep whatever details their action recorded when they were written,
 * and older ones have fewer (a void from before the tab's name was recorded):
 * each sentence uses what is there and leaves out what is not. An action this
 * file does not know still reads as words, from its code and its details.
 */
import { formatEuro } from './format.js';
import { CATEGORY_LABELS } from './pages.js';

export interface AuditEntryLike {
  at: string;
  action: string;
  staffName: string | null;
  reason: string | null;
  details: Record<string, unknown>;
}

/** How the page shows times, in the venue's zone. */
export interface AuditClock {
  time: (iso: string) => string;
  dateTime: (iso: string) => string;
  /** The calendar day, to say "sale of 19:42" for a sale of the same day and the date too otherwise. */
  day: (iso: string) => string;
}

/** Each action the back end records, in words; the filter offers them by these names. */
const ACTION_LABELS: Readonly<Record<string, string>> = {
  'tab.void': 'Void',
  'sale.refund': 'Refund',
  'price.change': 'Price change',
  'product.create': 'Product added',
  'product.update': 'Product changed',
  'product.archive': 'Product archived',
  'product.restore': 'Product restored',
  'staff.create': 'Staff created',
  'staff.disable': 'Staff disabled',
  'auth.passwordChange': 'Password changed',
  'auth.signOutEverywhere': 'Signed out everywhere',
  'access.denied': 'Refused',
  'tab.split': 'Tab split',
  'auth.pinChange': 'PIN changed',
  'auth.pinLockout': 'PIN locked',
  'staff.pinSet': 'PIN set',
  'till.enrol': 'Till enrolled',
  'till.revoke': 'Till revoked',
  'venue.settings': 'Settings changed',
};

/** What a refused manager-only action was, as "Mary tried to …" finishes it. */
const ATTEMPTS: Readonly<Record<string, string>> = {
  'sales.refundSale': 'refund a sale',
  'catalogue.createProduct': 'add a product',
  'catalogue.updateProduct': 'change a product',
  'catalogue.archiveProduct': 'archive a product',
  'catalogue.restoreProduct': 'restore a product',
  'staff.createStaff': 'create a staff account',
  'staff.disableStaff': 'disable a staff account',
  'staff.listStaff': 'see the staff list',
  'audit.listAuditEntries': 'read the audit log',
  'staff.enrolTill': 'enrol a till',
  'staff.listTills': 'see the tills',
  'staff.revokeTill': 'revoke a till',
  'staff.setStaffPin': 'set a PIN for someone',
  'venue.updateSettings': 'change the venue’s settings',
};

/** What product.update records, by the API's field names. */
const FIELD_WORDS: Readonly<Record<string, string>> = {
  name: 'name',
  category: 'category',
  abv: 'ABV',
  vatClass: 'VAT class',
  unitMl: 'ml per stock unit',
  unitCostCents: 'cost per stock unit',
  parUnits: 'par level',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const euro = (v: unknown): string | null => {
  const n = num(v);
  return n === null ? null : formatEuro(n);
};
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
const number = (n: number) => new Intl.NumberFormat('en-IE', { maximumFractionDigits: 3 }).format(n);

/** "pinLockout" → "pin lockout". */
function words(code: string): string {
  return code
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[._-]+/g, ' ')
    .toLowerCase()
    .trim();
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** An action's name in words: "Void", or for one recorded by a newer release, its code spelt out ("Device: enrol till"). */
export function actionLabel(code: string): string {
  const known = ACTION_LABELS[code];
  if (known) return known;
  const dot = code.indexOf('.');
  if (dot < 0) return capitalised(words(code));
  return `${capitalised(words(code.slice(0, dot)))}: ${words(code.slice(dot + 1))}`;
}

/** The actions the filter offers, in words, sorted by their words: every known one, and any other seen. */
export function actionChoices(seen: Iterable<string>): Array<{ value: string; label: string }> {
  const codes = new Set([...Object.keys(ACTION_LABELS), ...seen]);
  return [...codes].map((value) => ({ value, label: actionLabel(value) })).sort((a, b) => a.label.localeCompare(b.label));
}

/** "1 × Guinness (Pint)", or the description alone when the quantity was not recorded. */
function line(quantity: unknown, description: unknown): string | null {
  const d = str(description);
  if (!d) return null;
  const q = num(quantity);
  return q === null ? d : `${q} × ${d}`;
}

function withReason(parts: Array<string | null>, reason: string | null): string {
  const kept = parts.filter((p): p is string => p !== null && p !== '');
  if (reason) kept.push(`reason: ${reason}`);
  return kept.join(', ');
}

function describeVoid(d: Record<string, unknown>, reason: string | null): string {
  const what = [line(d.quantity, d.description), euro(d.grossCents)].filter(Boolean).join(' ');
  return `Void: ${withReason([str(d.tab), what || 'a line'], reason)}`;
}

function describeRefund(e: AuditEntryLike, clock: AuditClock): string {
  const d = e.details;
  const closedAt = str(d.saleClosedAt);
  let sale = 'a sale';
  if (closedAt && !Number.isNaN(Date.parse(closedAt))) {
    sale = `sale of ${clock.day(closedAt) === clock.day(e.at) ? clock.time(closedAt) : clock.dateTime(closedAt)}`;
  }
  const name = str(d.sale);
  if (name) sale += ` (${name})`;
  const lines = Array.isArray(d.lines) ? (d.lines as Array<Record<string, unknown>>) : null;
  const lineCount = lines?.length ?? (Array.isArray(d.lineIds) ? d.lineIds.length : null);
  let what: string | null = null;
  if (lineCount !== null) {
    what = plural(lineCount, 'line', 'lines');
    const named = (lines ?? []).map((l) => line(l.quantity, l.description)).filter((l): l is string => l !== null);
    // Up to three lines are named; more would not fit a row of the log.
    if (named.length && named.length <= 3) what += ` (${named.join(', ')})`;
  }
  const gross = num(d.grossCents);
  return `Refund: ${withReason([sale, what, gross === null ? null : formatEuro(Math.abs(gross))], e.reason)}`;
}

function describePriceChange(d: Record<string, unknown>, reason: string | null): string {
  const product = str(d.product);
  const serving = str(d.serving);
  const what = product && serving ? `${product} (${serving})` : (product ?? serving ?? 'a serving');
  const from = euro(d.fromCents);
  const to = euro(d.toCents);
  if (from === null && to !== null) return `New serving: ${withReason([`${what} at ${to}`], reason)}`;
  if (to === null && from !== null) return `Serving retired: ${withReason([`${what}, was ${from}`], reason)}`;
  return `Price change: ${withReason([`${what} ${from ?? '?'} → ${to ?? '?'}`], reason)}`;
}

function describeProductCreate(d: Record<string, unknown>, reason: string | null): string {
  const servings = Array.isArray(d.servings) ? (d.servings as Array<Record<string, unknown>>) : [];
  const priced = servings
    .map((s) => [str(s.name), euro(s.priceCents)].filter(Boolean).join(' '))
    .filter((s) => s !== '');
  const name = str(d.name) ?? 'a product';
  return `Product added: ${withReason([priced.length ? `${name} (${priced.join(', ')})` : name], reason)}`;
}

/** One changed field's value as a manager reads it. */
function fieldValue(field: string, value: unknown): string {
  if (value === null || value === undefined) return field === 'unitMl' ? 'none (counted in units)' : 'none';
  if (field === 'unitCostCents') return euro(value) ?? JSON.stringify(value);
  if (field === 'category' && typeof value === 'string') return CATEGORY_LABELS[value] ?? value;
  if (field === 'abv' && typeof value === 'number') return `${number(value)}%`;
  if (field === 'unitMl' && typeof value === 'number') return `${number(value)} ml`;
  if (typeof value === 'number') return number(value);
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

function describeProductUpdate(d: Record<string, unknown>, reason: string | null): string {
  const changes: string[] = [];
  let product = str(d.product);
  for (const [field, change] of Object.entries(d)) {
    if (field === 'product' || typeof change !== 'object' || change === null || !('to' in change)) continue;
    const { from, to } = change as { from?: unknown; to?: unknown };
    if (field === 'name' && !product) product = str(to);
    changes.push(`${FIELD_WORDS[field] ?? words(field)} ${fieldValue(field, from)} → ${fieldValue(field, to)}`);
  }
  const head = product ? `${product}: ` : '';
  return `Product changed: ${withReason([`${head}${changes.join('; ') || 'details'}`], reason)}`;
}

function describeStaff(label: string, d: Record<string, unknown>, reason: string | null): string {
  const name = str(d.name) ?? 'an account';
  const role = str(d.role);
  return `${label}: ${withReason([role ? `${name} (${role})` : name], reason)}`;
}

function describeSplit(d: Record<string, unknown>, reason: string | null): string {
  const lines = Array.isArray(d.lines) ? (d.lines as Array<Record<string, unknown>>) : [];
  const named = lines.map((l) => line(l.quantity, l.description)).filter((l): l is string => l !== null);
  let what = plural(lines.length, 'line', 'lines');
  if (named.length && named.length <= 3) what += ` (${named.join(', ')})`;
  const from = str(d.from);
  const to = str(d.to);
  return `Tab split: ${withReason([`${what}${from ? ` from ${from}` : ''}${to ? ` to ${to}` : ''}`], reason)}`;
}

function describePin(e: AuditEntryLike, clock: AuditClock): string {
  const d = e.details;
  const name = str(d.name) ?? e.staffName ?? 'someone';
  if (e.action === 'staff.pinSet') return `PIN ${d.hadPin === true ? 'reset' : 'set'} for ${name}`;
  if (e.action === 'auth.pinChange') return `PIN changed: ${name}`;
  const till = str(d.till);
  const until = str(d.lockedUntil);
  const when = until && !Number.isNaN(Date.parse(until)) ? `, until ${clock.time(until)}` : '';
  return `PIN locked: ${name} after too many wrong PINs${till ? ` on ${till}` : ''}${when}`;
}

function describeRefusal(e: AuditEntryLike): string {
  const attempted = str(e.details.attempted);
  const what = attempted ? (ATTEMPTS[attempted] ?? `do “${actionLabel(attempted).toLowerCase()}”`) : 'do something only a manager may do';
  return `Refused: ${e.staffName ?? 'someone'} tried to ${what}`;
}

/** An action this file does not know: its name, then each detail as "what: value", ids left out. */
function describeOther(e: AuditEntryLike): string {
  const parts: string[] = [];
  const cents = (key: string) => /Cents$/.test(key);
  const plain = (key: string, value: unknown): string | null => {
    if (cents(key) && typeof value === 'number') return formatEuro(value);
    if (typeof value === 'string') return UUID.test(value) ? null : value;
    if (typeof value === 'number') return number(value);
    if (typeof value === 'boolean') return value ? 'yes' : 'no';
    if (value === null) return 'none';
    if (Array.isArray(value)) return plural(value.length, 'item', 'items');
    return null;
  };
  for (const [key, value] of Object.entries(e.details)) {
    let shown = plain(key, value);
    // A change recorded as {from, to}: "bartenders may void: no → yes".
    if (shown === null && typeof value === 'object' && value !== null && 'from' in value && 'to' in value) {
      const { from, to } = value;
      shown = `${plain(key, from) ?? '?'} → ${plain(key, to) ?? '?'}`;
    }
    if (shown !== null) parts.push(`${words(key.replace(/Cents$/, ''))}: ${shown}`);
  }
  return parts.length || e.reason ? `${actionLabel(e.action)}: ${withReason(parts, e.reason)}` : actionLabel(e.action);
}

/** One audit entry as a sentence; `clock` shows times in the venue's zone. */
export function describeAuditEntry(e: AuditEntryLike, clock: AuditClock): string {
  const d = e.details;
  switch (e.action) {
    case 'tab.void':
      return describeVoid(d, e.reason);
    case 'sale.refund':
      return describeRefund(e, clock);
    case 'price.change':
      return describePriceChange(d, e.reason);
    case 'product.create':
      return describeProductCreate(d, e.reason);
    case 'product.update':
      return describeProductUpdate(d, e.reason);
    case 'product.archive':
    case 'product.restore':
      return `${actionLabel(e.action)}: ${withReason([str(d.product) ?? 'a product'], e.reason)}`;
    case 'staff.create':
    case 'staff.disable':
      return describeStaff(actionLabel(e.action), d, e.reason);
    case 'auth.passwordChange':
      return d.initial === true ? 'Password changed: initial password replaced at first login' : 'Password changed';
    case 'access.denied':
      return describeRefusal(e);
    case 'tab.split':
      return describeSplit(d, e.reason);
    case 'auth.pinChange':
    case 'auth.pinLockout':
    case 'staff.pinSet':
      return describePin(e, clock);
    case 'till.enrol':
    case 'till.revoke':
      return `${actionLabel(e.action)}: ${withReason([str(d.name) ?? 'a till'], e.reason)}`;
    default:
      return describeOther(e);
  }
}
