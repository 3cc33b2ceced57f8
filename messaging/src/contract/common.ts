import { Type, type TSchema } from '@sinclair/typebox';

export const Uuid = Type.String({ format: 'uuid' });
export const Email = Type.String({ format: 'email', maxLength: 254 });
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
