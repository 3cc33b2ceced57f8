import { Uuid } from '@barback/messaging';
import { Type, type TSchema } from '@sinclair/typebox';

/** The one error shape: `{error: {code, message, field?}}`. */
export const ErrorBody = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String(), field: Type.Optional(Type.String()) }),
});

/** Every error a session route can answer; the body is always `{error: {code, message, field?}}`. */
export const sessionErrors = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
  503: ErrorBody,
  504: ErrorBody,
};

export const readSecurity = [{ session: [] }];
export const writeSecurity = [{ session: [], csrf: [] }];

/** Documented on every state-changing route; read by writeOptions. */
export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'Repeating a call with the same key returns the first result and records nothing new.',
    }),
  ),
});

/** A malformed id is the caller's mistake (400); an unknown or other-venue id is the worker's 404. */
export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });

/** Every list answers `{items: [...]}`. */
export function listOf<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item) });
}
