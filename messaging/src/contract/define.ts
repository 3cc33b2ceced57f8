import type { TSchema } from '@sinclair/typebox';

/**
 * `write` actions run in one primary transaction guarded by the request id, so a
 * redelivered or resubmitted request takes effect once. `read` actions go to a
 * standby unless they must see the caller's own writes (`consistency: 'primary'`).
 */
export interface ActionDefinition<Req extends TSchema = TSchema, Rep extends TSchema = TSchema> {
  kind: 'read' | 'write';
  consistency?: 'primary' | 'standby';
  /** `session`: the message must carry an actor, checked by the worker against the database. */
  auth: 'none' | 'session';
  request: Req;
  reply: Rep;
}

export function defineAction<Req extends TSchema, Rep extends TSchema>(def: ActionDefinition<Req, Rep>): ActionDefinition<Req, Rep> {
  return def;
}
