/**
 * The contract refuses what the database would, field by field: walks every
 * request schema (request-fields.ts), sorts each field into a class, and
 * tries the class's edge values: each value just outside is refused with the
 * field named in the class's words, each value at the edge is taken. A new
 * action or field is covered without touching this file; a field of a kind
 * the walk does not know, or one without bounds, fails the rules below.
 */
import { describe, expect, it } from '@jest/globals';
import { Type } from '@sinclair/typebox';
import { INSTANT_PATTERN, validateRequest } from '@barback/messaging';
import { actionNames, badCases, goodValues, isText, requestFields, validRequest, withValue, type RequestField } from './request-fields.js';

const fields = requestFields();
const named = (f: RequestField) => `${f.action} ${f.field || '(request)'}`;

describe('the walk of the contract', () => {
  it('finds the fields it must, in every class, nested ones included', () => {
    const found = fields.map((f) => `${named(f)}: ${f.cls}`);
    // Known ones, as a check that the walk reaches into objects, arrays and optionals.
    expect(found).toEqual(
      expect.arrayContaining([
        'auth.register venueName: text',
        'till.openTab name: text',
        'catalogue.createProduct servings.0.name: text',
        'catalogue.updateProduct servings.0.name: text',
        'sales.refundSale reason: text',
        'audit.listAuditEntries action: text',
        'sales.listSales from: instant',
        'audit.listAuditEntries to: instant',
        'catalogue.createProduct servings.0.ml: number',
        'catalogue.createProduct unitMl: number',
        'catalogue.createProduct unitCostCents: integer',
        'sales.recordSale payments.0.amountCents: integer',
        'sales.recordSale payments.0.method: literal',
        'catalogue.createProduct servings: array',
        'catalogue.createProduct servings.0: object',
        'catalogue.createProduct (request): object',
        'venue.updateSettings bartendersMayVoid: boolean',
        'auth.register passwordHash: token',
        'auth.register email: email',
        'till.addTabLine tabId: uuid',
      ]),
    );
    expect(fields.find((f) => f.field === 'servings.0.ml')?.nullable).toBe(true);
  });

  it.each(actionNames)('makes a request %s accepts, to put each edge value into', (action) => {
    expect(validateRequest(action, validRequest(action))).toBeNull();
  });
});

describe('the rules every request field keeps', () => {
  it('every string is free text (Text), an instant, a uuid, an email, a literal or a token a pattern pins down', () => {
    expect(fields.filter((f) => f.cls === null).map(named)).toEqual([]);
  });

  it('would flag a plain string, with or without a length', () => {
    const walked = (schema: object) => {
      const f = { schema: schema as Record<string, unknown> };
      return isText(f.schema) || typeof f.schema.pattern === 'string' || f.schema.format !== undefined;
    };
    expect(walked(Type.String())).toBe(false);
    expect(walked(Type.String({ minLength: 1, maxLength: 60 }))).toBe(false);
  });

  it('every date and time a caller sends is an Instant (years 2000 to 2100, no leap second)', () => {
    expect(fields.filter((f) => f.cls === 'instant' && f.schema.pattern !== INSTANT_PATTERN).map(named)).toEqual([]);
  });

  it('every token pattern is anchored at both ends, so nothing rides after a good start', () => {
    const loose = fields.filter((f) => f.cls === 'token' && !/^\^.*\$$/.test(f.schema.pattern as string));
    expect(loose.map(named)).toEqual([]);
  });

  it('every string has a length limit, unless its format or pattern fixes one', () => {
    const unbounded = fields.filter(
      // A pattern with no open-ended repeat (+, *, {n,}) fixes the length itself, as a till key's {43} or a day's does.
      (f) => ['text', 'email', 'token'].includes(f.cls!) && typeof f.schema.maxLength !== 'number' && /[+*]|,\}/.test(typeof f.schema.pattern === 'string' ? f.schema.pattern : '+'),
    );
    expect(unbounded.map(named)).toEqual([]);
  });

  it('every number has a least and a most value, which the database column holds', () => {
    const open = fields.filter(
      (f) =>
        (f.cls === 'integer' || f.cls === 'number') &&
        (typeof (f.schema.minimum ?? f.schema.exclusiveMinimum) !== 'number' || typeof (f.schema.maximum ?? f.schema.exclusiveMaximum) !== 'number'),
    );
    expect(open.map(named)).toEqual([]);
    // An exclusive bound leaves values just past it that a numeric column rounds onto it (1e-300 ml became 0.0).
    expect(fields.filter((f) => f.schema.exclusiveMinimum !== undefined || f.schema.exclusiveMaximum !== undefined).map(named)).toEqual([]);
  });

  it('every list has a most number of items', () => {
    expect(fields.filter((f) => f.cls === 'array' && typeof f.schema.maxItems !== 'number').map(named)).toEqual([]);
  });

  it('every object refuses fields it does not name', () => {
    expect(fields.filter((f) => f.cls === 'object' && f.schema.additionalProperties !== false).map(named)).toEqual([]);
  });
});

const bad = badCases(fields);
const good = fields.flatMap((f) => goodValues(f).map((e) => ({ ...f, ...e })));

describe('every request field, just outside what it takes', () => {
  it(`is tried (${bad.length} values)`, () => {
    expect(bad.length).toBeGreaterThan(500);
  });

  it.each(bad.map((c) => [c.action, c.field || '(request)', c.what, c] as const))('%s %s refuses %s', (_action, _field, _what, c) => {
    const problem = validateRequest(c.action, withValue(validRequest(c.action), c.path, c.value));
    expect(problem?.field).toBe(c.expected);
    if (c.words !== undefined) expect(problem?.message).toBe(`${c.expected} ${c.words}`);
  });
});

describe('every request field, at the edges of what it takes', () => {
  it.each(good.map((c) => [c.action, c.field || '(request)', c.what, c] as const))('%s %s takes %s', (_action, _field, _what, c) => {
    expect(validateRequest(c.action, withValue(validRequest(c.action), c.path, c.value))).toBeNull();
  });
});
