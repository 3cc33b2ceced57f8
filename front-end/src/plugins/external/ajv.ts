import { closedObjects, createAjv, type ValidateFunction } from '@barback/messaging';
import fp from 'fastify-plugin';

/**
 * Fastify's route validation, with the contract's ajv (createAjv: the same
 * formats and words as the worker) and two rules for what a route takes.
 *
 * - A JSON body is taken as sent: no coercion ("2" is not 2, true is not 1,
 *   null is not 0, ["x"] is not "x"), and a field the schema does not name is
 *   refused with its name rather than dropped. A client that sends the wrong
 *   type has a bug it should hear about, and the worker (which never coerces)
 *   would otherwise see a different request from the one the client sent.
 * - Query strings, path parameters and headers are text by nature, so they
 *   keep Fastify's defaults: "?limit=20" is the number 20, a repeated
 *   parameter is an array, defaults are filled in and unknown query
 *   parameters are dropped.
 */
export default fp(async (fastify) => {
  const base = { allErrors: false, useDefaults: true, addUsedSchema: false } as const;
  const bodies = createAjv({ ...base, coerceTypes: false, removeAdditional: false });
  const others = createAjv({ ...base, coerceTypes: 'array', removeAdditional: true });
  // Routes share schemas (the contract's request schemas among them): compile each once per ajv.
  const compiledBodies = new WeakMap<object, ValidateFunction>();
  const compiledOthers = new WeakMap<object, ValidateFunction>();

  fastify.setValidatorCompiler(({ schema, httpPart }) => {
    const body = httpPart === 'body';
    const compiled = body ? compiledBodies : compiledOthers;
    let validate = compiled.get(schema);
    if (!validate) {
      validate = body ? bodies.compile(closedObjects(schema)) : others.compile(schema);
      compiled.set(schema, validate);
    }
    return validate;
  });
}, { name: 'ajv' });
