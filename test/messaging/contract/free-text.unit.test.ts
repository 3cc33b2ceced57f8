/**
 * Free text across the whole contract: every request field a person types
 * into is a Text, and every Text refuses control characters and blank values
 * with the field named. Walks the schemas, so a new action or field is
 * covered (or flagged) without touching this file.
 */
import { describe, expect, it } from '@jest/globals';
import { Type } from '@sinclair/typebox';
import { validateRequest } from '@barback/messaging';
import { BAD_TEXT, TEXT_WORDS, actionNames, isText, requestStringFields, stringKind, validRequest, withValue } from './request-fields.js';

const fields = requestStringFields();
const textFields = fields.filter((f) => isText(f.schema));
const cases = textFields.flatMap((f) => BAD_TEXT.map(([what, value]) => ({ ...f, what, value })));

describe('the walk of the contract', () => {
  it('finds the free-text fields it must, nested ones included', () => {
    const found = textFields.map((f) => `${f.action} ${f.field}`);
    // Known ones, as a check that the walk reaches into objects, arrays and optionals.
    expect(found).toEqual(
      expect.arrayContaining([
        'auth.register venueName',
        'till.openTab name',
        'catalogue.createProduct servings.0.name',
        'catalogue.updateProduct servings.0.name',
        'sales.refundSale reason',
        'audit.listAuditEntries action',
      ]),
    );
  });

  it.each(actionNames)('makes a request %s accepts, to put each bad value into', (action) => {
    expect(validateRequest(action, validRequest(action))).toBeNull();
  });
});

describe('every string field of every request', () => {
  it('is free text (Text), a checked format, a literal or a patterned token: never an unchecked string', () => {
    const offenders = fields.filter((f) => stringKind(f.schema) === null).map((f) => `${f.action} ${f.field}`);
    expect(offenders).toEqual([]);
  });

  it('would flag a plain string, with or without a length', () => {
    expect(stringKind(Type.String() as never)).toBeNull();
    expect(stringKind(Type.String({ minLength: 1, maxLength: 60 }) as never)).toBeNull();
  });
});

describe('every Text field of every request', () => {
  it.each(cases.map((c) => [c.action, c.field, c.what, c] as const))('%s refuses %s with %s', (_action, _field, _what, c) => {
    expect(validateRequest(c.action, withValue(validRequest(c.action), c.path, c.value))).toEqual({
      field: c.field,
      message: `${c.field} ${TEXT_WORDS}`,
    });
  });

  it('still accepts text with accents, symbols and inner spaces', () => {
    for (const f of textFields) {
      expect(validateRequest(f.action, withValue(validRequest(f.action), f.path, 'Ó Briain’s “Snug” – €5'))).toBeNull();
    }
  });
});
