import { describe, expect, it } from '@jest/globals';
import {
  closedObjects,
  Errors,
  PermanentError,
  actions,
  createAjv,
  describeSchemaErrors,
  describeSchemaProblem,
  fromWireError,
  isActionName,
  SerializedReply,
  serializeReply,
  toWireError,
  validateEnvelope,
  validateReply,
  validateRequest,
  withField,
} from '@barback/messaging';

describe('contract validation', () => {
  it('accepts a well-formed register request', () => {
    const ok = validateRequest('auth.register', {
      venueName: 'The Stag',
      name: 'Aoife',
      email: 'aoife@example.ie',
      passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$abc$def',
    });
    expect(ok).toBeNull();
  });

  it('refuses a plaintext password where a hash is expected', () => {
    const problem = validateRequest('auth.register', {
      venueName: 'The Stag',
      name: 'Aoife',
      email: 'aoife@example.ie',
      passwordHash: 'hunter2hunter2',
    });
    expect(problem?.field).toBe('passwordHash');
  });

  it('names a missing field', () => {
    expect(validateRequest('auth.beginLogin', {})).toEqual({ field: 'email', message: 'email is required' });
  });

  it('names an unexpected field', () => {
    expect(validateRequest('catalogue.getProduct', { id: '6b79c201-0322-4fe7-ab06-029e1f25327c', admin: true })?.field).toBe('admin');
  });

  it('checks replies against the contract too', () => {
    expect(validateReply('system.ping', { workerId: 'w1', at: new Date().toISOString() })).toBeNull();
    expect(validateReply('system.ping', { workerId: 'w1' })?.field).toBe('at');
  });

  it("writes a reply with the contract's fields only, and refuses one that lacks a required field", () => {
    const at = new Date().toISOString();
    const row = { workerId: 'w1', at, password_hash: '$argon2id$leak' };
    expect(JSON.parse(serializeReply('system.ping', row))).toEqual({ workerId: 'w1', at });
    expect(() => serializeReply('system.ping', { workerId: 'w1' })).toThrow(/"at" is required/);
    // The same rows break it on every delivery: the worker dead-letters at once.
    expect(() => serializeReply('system.ping', { workerId: 'w1' })).toThrow(PermanentError);
    const product = {
      id: '6b79c201-0322-4fe7-ab06-029e1f25327c', name: 'Stout', category: 'draught', abv: 4.2, vatClass: 'standard',
      unitMl: null, unitCostCents: 9000, parUnits: 2, fullWeightGrams: null, emptyWeightGrams: null, location: null, stockUnits: 1.5, sortOrder: 1, archived: false,
      createdAt: at, updatedAt: at,
      servings: [{ id: '5b79c201-0322-4fe7-ab06-029e1f25327c', name: 'Pint', ml: 568, priceCents: 560, internal: true }],
    };
    const written = JSON.parse(serializeReply('catalogue.listProducts', { items: [product] }));
    expect(written.items[0].servings[0]).toEqual({ id: product.servings[0]!.id, name: 'Pint', ml: 568, priceCents: 560 });
    expect(validateReply('catalogue.listProducts', written)).toBeNull();
  });

  it('sends a reply kept already written as it is, and only for its own action', () => {
    const at = new Date().toISOString();
    const kept = SerializedReply.of('system.ping', { workerId: 'w1', at, extra: 1 } as never);
    expect(kept.json).toBe(JSON.stringify({ workerId: 'w1', at }));
    expect(serializeReply('system.ping', kept)).toBe(kept.json);
    expect(() => serializeReply('auth.me', kept)).toThrow(/system.ping reply cannot answer auth.me/);
  });

  it('refuses an envelope without a request id or deadline', () => {
    expect(validateEnvelope({ v: 1, action: 'system.ping', actor: null, payload: {} })).not.toBeNull();
    expect(
      validateEnvelope({ v: 1, action: 'system.ping', requestId: 'abcdefgh', actor: null, deadline: Date.now(), payload: {} }),
    ).toBeNull();
  });

  it('knows its own action names only', () => {
    expect(isActionName('auth.me')).toBe(true);
    expect(isActionName('auth.dropTables')).toBe(false);
    expect(isActionName('toString')).toBe(false);
    expect(Object.keys(actions).length).toBeGreaterThan(0);
  });
});

describe('errors on the wire', () => {
  it('survive the round trip with code, status and field', () => {
    const original = withField(new Errors.emailTaken(), 'email');
    const back = fromWireError(toWireError(original));
    expect(back.code).toBe('BB_EMAIL_TAKEN');
    expect(back.statusCode).toBe(409);
    expect(back.field).toBe('email');
    expect(back.message).toBe(original.message);
  });

  it('format their messages', () => {
    expect(new Errors.rpcTimeout(5000).message).toContain('5000 ms');
    expect(new Errors.rpcTimeout(5000).statusCode).toBe(504);
    expect(new Errors.brokerUnavailable('x').statusCode).toBe(503);
  });
});

describe('describeSchemaProblem', () => {
  const product = {
    name: 'Lager', category: 'draught', abv: 4.2, vatClass: 'standard', unitMl: 50000, unitCostCents: 9000, parUnits: 2,
    servings: [{ name: 'Pint', ml: 568, priceCents: 560 }],
  };
  const problem = (payload: object) => validateRequest('catalogue.createProduct', { ...product, ...payload });

  it.each([
    ['a blank Text, in the words of its pattern', { name: '  ' }, 'name', 'name must not be blank'],
    ['a nested field by its whole path', { servings: [{ name: 'Pint\u0000', ml: 568, priceCents: 560 }] }, 'servings.0.name',
      'servings.0.name must not contain control characters (such as NUL, tab or newline)'],
    ['a nested missing field', { servings: [{ name: 'Pint', ml: 568 }] }, 'servings.0.priceCents', 'servings.0.priceCents is required'],
    ['a nested unexpected field', { servings: [{ name: 'Pint', ml: 568, priceCents: 1, cost: 1 }] }, 'servings.0.cost', 'servings.0.cost is not an accepted field'],
    ['an empty Text, as missing', { name: '' }, 'name', 'name is required'],
    ['too long, with the limit', { name: 'x'.repeat(121) }, 'name', 'name must be at most 120 characters'],
    ['a choice of literals, with the choices', { vatClass: 'zero' }, 'vatClass', 'vatClass must be one of: standard, reduced'],
    ['a wrong type', { abv: 'strong' }, 'abv', 'abv must be a number'],
    ['an integer', { unitCostCents: 1.5 }, 'unitCostCents', 'unitCostCents must be a whole number'],
    ['a bound, with the limit', { abv: 101 }, 'abv', 'abv must be at most 100'],
    ['a least value', { unitMl: 0 }, 'unitMl', 'unitMl must be at least 0.1'],
    ['too few items', { servings: [] }, 'servings', 'servings must have at least 1 item'],
  ])('words %s', (_what, payload, field, message) => {
    expect(problem(payload)).toEqual({ field, message });
  });

  it('words formats', () => {
    expect(validateRequest('catalogue.getProduct', { id: 'nope' })).toEqual({ field: 'id', message: 'id must be a UUID' });
    const staff = { name: 'Aoife', email: 'nope', role: 'bartender', passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$abc$def' };
    expect(validateRequest('staff.createStaff', staff)).toEqual({ field: 'email', message: 'email must be a valid email address' });
    expect(validateRequest('sales.listSales', { from: '2026-02-30T12:00:00Z' })?.message).toMatch(/^from must be a date and time with its time zone/);
  });

  it('words a pattern the contract does not describe by the pattern itself', () => {
    expect(validateRequest('sales.listSales', { cursor: 'not a cursor' })).toEqual({
      field: 'cursor',
      message: 'cursor must match the pattern ^[A-Za-z0-9_-]+$',
    });
  });

  it('names a field by its label when given one (a form)', () => {
    const error = { keyword: 'minLength', instancePath: '/password', params: { limit: 10 }, message: 'x' };
    expect(describeSchemaProblem(error, (f) => (f === 'password' ? 'Password' : f))).toEqual({
      field: 'password',
      message: 'Password must be at least 10 characters',
    });
  });

  it('takes the first error when it is not a choice of literals', () => {
    const errors = [
      { keyword: 'const', instancePath: '/v', params: { allowedValue: 1 }, message: 'x' },
      { keyword: 'type', instancePath: '/v', params: { type: 'null' }, message: 'x' },
      { keyword: 'anyOf', instancePath: '/v', params: {}, message: 'x' },
    ];
    expect(describeSchemaErrors(errors)).toEqual({ field: 'v', message: 'v must be 1' });
    expect(describeSchemaProblem(undefined).field).toBe('');
  });

  it('comes from an ajv that knows the contract formats', () => {
    const check = createAjv().compile({ type: 'string', format: 'uuid' });
    expect(check('6b79c201-0322-4fe7-ab06-029e1f25327c')).toBe(true);
    expect(check('nope')).toBe(false);
  });
});

describe('closedObjects', () => {
  const open = {
    type: 'object',
    required: ['name'],
    properties: {
      name: { type: 'string', default: { properties: {} } },
      lines: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' } } } },
      ml: { anyOf: [{ type: 'object', properties: { v: { type: 'number' } } }, { type: 'null' }] },
      details: { type: 'object', patternProperties: { '^x': {} } },
      both: { allOf: [{ type: 'object', properties: { a: { type: 'number' } } }, { type: 'object', properties: { b: { type: 'number' } } }] },
      properties: { type: 'object', properties: {}, additionalProperties: true },
    },
  };
  const check = (schema: object) => createAjv().compile(schema);
  const good = { name: 'x', lines: [{ id: 'a' }], ml: { v: 1 }, details: { xa: 1 }, both: { a: 1, b: 2 }, properties: { any: 1 } };

  it('closes every object that names its properties, however deep, and leaves the original as it was', () => {
    const closed = closedObjects(open);
    expect(check(closed)(good)).toBe(true);
    expect(check(closed)({ ...good, extra: 1 })).toBe(false);
    expect(check(closed)({ ...good, lines: [{ id: 'a', extra: 1 }] })).toBe(false);
    expect(check(closed)({ ...good, ml: { v: 1, extra: 1 } })).toBe(false);
    // The original still takes what it took.
    expect(check(open)({ ...good, extra: 1 })).toBe(true);
    expect(open).not.toHaveProperty('additionalProperties');
  });

  it('leaves alone what says what else it takes, the members of an allOf, and data', () => {
    const closed = closedObjects(open);
    expect(check(closed)({ ...good, details: { xb: 2 } })).toBe(true);
    expect(check(closed)({ ...good, both: { a: 1, b: 2 } })).toBe(true);
    expect(check(closed)({ ...good, properties: { anything: true } })).toBe(true);
    expect(closed.properties.name.default).toEqual({ properties: {} });
  });
});
