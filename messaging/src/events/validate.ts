import type { ValidateFunction } from 'ajv';
import { createAjv, describeSchemaErrors, type SchemaProblem } from '../validation.js';
import { events, type EventType } from './index.js';

const ajv = createAjv({ allErrors: false, coerceTypes: false });
const compiled = new Map<EventType, ValidateFunction>();

/** The first way `data` breaks event type `type`'s schema, or null when it fits. */
export function validateEventData(type: EventType, data: unknown): SchemaProblem | null {
  let fn = compiled.get(type);
  if (!fn) {
    fn = ajv.compile(events[type].data);
    compiled.set(type, fn);
  }
  return fn(data) ? null : describeSchemaErrors(fn.errors);
}
