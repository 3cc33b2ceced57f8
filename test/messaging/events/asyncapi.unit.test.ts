import { describe, expect, it } from '@jest/globals';
import specs from '@asyncapi/specs';
import { asyncApiDocument, createAjv, emittedBy, events } from '@barback/messaging';

// specs.schemas['3.0.0']: the AsyncAPI Initiative's own JSON Schema of an AsyncAPI 3.0.0 document (draft-07).

describe('the AsyncAPI document of the change stream', () => {
  const doc = asyncApiDocument();

  it('is a valid AsyncAPI 3.0.0 document', () => {
    // The bundle carries the draft-07 meta-schema among its definitions: ajv's own copy would clash with it.
    const ajv = createAjv({ allErrors: true, meta: false, validateSchema: false });
    const validate = ajv.compile(specs.schemas['3.0.0']);
    const ok = validate(doc);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('describes every event type, each with its envelope and version', () => {
    const messages = (doc.components as { messages: Record<string, { name: string; payload: { properties: Record<string, { const?: unknown }> } }> }).messages;
    const byName = new Map(Object.values(messages).map((m) => [m.name, m]));
    expect([...byName.keys()].sort()).toEqual(Object.keys(events).sort());
    for (const [type, def] of Object.entries(events)) {
      const payload = byName.get(type)!.payload;
      expect(Object.keys(payload.properties).sort()).toEqual(['aggregateId', 'aggregateType', 'data', 'id', 'occurredAt', 'type', 'venueId', 'version']);
      expect(payload.properties.type!.const).toBe(type);
      expect(payload.properties.version!.const).toBe(def.version);
    }
  });

  it('is made of plain JSON: a schema that lost its content to a symbol would show up as an empty object', () => {
    const json = JSON.stringify(doc);
    expect(JSON.parse(json)).toEqual(doc);
    expect(json).not.toContain('"data":{}');
    // Every type a write declares is in the document.
    for (const types of Object.values(emittedBy)) for (const t of types) expect(json).toContain(`"name":"${t}"`);
  });
});
