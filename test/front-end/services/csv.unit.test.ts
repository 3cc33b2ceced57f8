import { describe, expect, it } from '@jest/globals';
import { euros, safeCell, toCsv } from '../../../front-end/src/services/csv.js';

describe('CSV exports', () => {
  it('makes cells that begin like a formula safe, and keeps plain numbers as numbers', () => {
    expect(safeCell('=HYPERLINK("http://x","y")')).toBe(`'=HYPERLINK("http://x","y")`);
    expect(safeCell('+353 1 234')).toBe(`'+353 1 234`);
    expect(safeCell('-2+3')).toBe(`'-2+3`);
    expect(safeCell('@SUM(A1)')).toBe(`'@SUM(A1)`);
    expect(safeCell('\t=1')).toBe(`'\t=1`);
    expect(safeCell('-152.50')).toBe('-152.50');
    expect(safeCell('Dublin Drinks')).toBe('Dublin Drinks');
  });

  it('writes RFC 4180: quotes around commas, quotes and line breaks, doubled quotes, CRLF rows', () => {
    const csv = toCsv(['supplier', 'note', 'net'], [
      ['A, B & Co', 'said "hi"\nthen left', euros(-15_250)],
      ['=cmd|/c calc', null, euros(5)],
    ]);
    expect(csv).toBe('supplier,note,net\r\n"A, B & Co","said ""hi""\nthen left",-152.50\r\n\'=cmd|/c calc,,0.05\r\n');
  });

  it('formats cents as euros exactly', () => {
    expect([euros(0), euros(1), euros(-1), euros(123_456), euros(-100)]).toEqual(['0.00', '0.01', '-0.01', '1234.56', '-1.00']);
  });
});
