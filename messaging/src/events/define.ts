import { Type, type TSchema } from '@sinclair/typebox';

/**
 * One kind of change a committed write announces on the change stream
 * (docs/changes.md). `version` starts at 1 and moves only with a new schema
 * for `data`: a consumer reads `type` and `version` together.
 */
export interface EventDefinition<D extends TSchema = TSchema> {
  version: number;
  /** What `aggregateId` names: the sale, the tab, the product… */
  aggregateType: string;
  description: string;
  data: D;
}

export function defineEvent<D extends TSchema>(def: EventDefinition<D>): EventDefinition<D> {
  return def;
}

/** The envelope every event travels in, whatever its type: the stream, listEvents and the SSE stream all carry it. */
export function envelopeOf(type: string, def: EventDefinition): TSchema {
  return Type.Object(
    {
      id: Type.String({ format: 'uuid', description: 'UUID version 7: unique per event; a duplicate delivery carries the same id.' }),
      type: Type.Literal(type),
      venueId: Type.String({ format: 'uuid' }),
      occurredAt: Type.String({ format: 'date-time', description: 'When the write that emitted it began, UTC.' }),
      aggregateType: Type.Literal(def.aggregateType),
      aggregateId: Type.String(),
      version: Type.Literal(def.version),
      data: def.data,
    },
    { additionalProperties: false, title: type, description: def.description },
  );
}
