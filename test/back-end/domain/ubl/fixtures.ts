import { readFileSync } from 'node:fs';

/** A fixture under test/fixtures/ubl/, as text: every one written for these tests, none copied. */
export function ublFixture(name: string): string {
  return readFileSync(new URL(`../../../fixtures/ubl/${name}`, import.meta.url), 'utf8');
}

/** 3 MB of white space around an otherwise good invoice: over the 2 MB limit, and cheap to write out here rather than keep in git. */
export function whitespaceFixture(): string {
  return ublFixture('keg-and-case-invoice.xml').replace('<cbc:ID>LVD', `${' \n'.repeat(1_572_864)}<cbc:ID>LVD`);
}
