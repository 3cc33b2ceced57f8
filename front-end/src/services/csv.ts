import { stringify } from 'csv-stringify/sync';

/** A number we wrote ourselves (cents as euros, quantities): left as a number, even when negative. */
const NUMBER = /^-?\d+(?:\.\d+)?$/;
/** What a spreadsheet reads as the start of a formula (OWASP "CSV injection"): =, +, -, @, and tab or CR before them. */
const FORMULA = /^[=+\-@\t\r]/;

/**
 * A cell a spreadsheet shows as text, never runs: text that begins like a
 * formula gets a leading apostrophe. Plain numbers such as a credit note's
 * -152.50 stay numbers, so totals still add up in the sheet.
 */
export function safeCell(value: string): string {
  return FORMULA.test(value) && !NUMBER.test(value) ? `'${value}` : value;
}

/**
 * RFC 4180 CSV (csv-stringify: quotes, doubled quotes, CRLF) with a header
 * row, every text cell made safe for spreadsheets.
 */
export function toCsv(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number | null>>): string {
  return stringify([header.map(safeCell), ...rows.map((r) => r.map((c) => (c === null ? '' : typeof c === 'number' ? String(c) : safeCell(c))))], {
    record_delimiter: 'windows',
    bom: false,
  });
}

/** Cents as a euro amount for a spreadsheet: 123456 → "1234.56", -5 → "-0.05". */
export function euros(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
