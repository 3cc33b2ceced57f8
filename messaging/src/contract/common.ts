import { Type, type TSchema } from '@sinclair/typebox';

export const Uuid = Type.String({ format: 'uuid' });
export const Email = Type.String({ format: 'email', maxLength: 254 });
/** argon2id PHC strings only: a plaintext password must never cross the broker. */
export const PasswordHash = Type.String({ pattern: '^\\$argon2id\\$', maxLength: 512 });
export const Timestamp = Type.String({ format: 'date-time' });
export const Nullable = <S extends TSchema>(schema: S) => Type.Union([schema, Type.Null()]);

export const Role = Type.Union([Type.Literal('manager'), Type.Literal('bartender')]);

export const StaffSummary = Type.Object({
  id: Uuid,
  name: Type.String(),
  email: Type.String(),
  role: Role,
  mustChangePassword: Type.Boolean(),
});

export const VenueSummary = Type.Object({
  id: Uuid,
  name: Type.String(),
  timeZone: Type.String(),
});

/** Who is logged in, as the worker confirmed it against the database. */
export const Session = Type.Object({ staff: StaffSummary, venue: VenueSummary });

export const PaymentMethod = Type.Union([Type.Literal('cash'), Type.Literal('card'), Type.Literal('other')]);
export const PaymentInput = Type.Object(
  { method: PaymentMethod, amountCents: Type.Integer({ minimum: 1, maximum: 100_000_000 }) },
  { additionalProperties: false },
);
export const Payments = Type.Array(PaymentInput, { minItems: 1, maxItems: 6 });
export const Quantity = Type.Integer({ minimum: 1, maximum: 100 });
export const Reason = Type.String({ minLength: 1, maxLength: 500, pattern: '\\S' });

/** What a line shows on a tab and on a sale alike. */
export const lineFields = {
  id: Uuid,
  servingId: Uuid,
  productId: Uuid,
  description: Type.String(),
  quantity: Type.Integer(),
  unitPriceCents: Type.Integer(),
  grossCents: Type.Integer(),
};
