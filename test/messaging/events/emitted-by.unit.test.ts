/**
 * The contract's promise that every write announces itself: walking every
 * action, each write declares at least one event type the change stream
 * knows (messaging/src/events/emitted-by.ts), no read declares any, and
 * every event type has a write that emits it, except stock.*, which the
 * stock fold emits (no action of its own).
 */
import { describe, expect, it } from '@jest/globals';
import { actions, emittedBy, events, isEventType } from '@barback/messaging';

const declared: Readonly<Record<string, readonly string[] | undefined>> = emittedBy;
const allActions = Object.entries(actions) as [string, { kind: string }][];
const writes = allActions.filter(([, a]) => a.kind === 'write').map(([name]) => name);
const reads = allActions.filter(([, a]) => a.kind !== 'write').map(([name]) => name);

describe('emittedBy', () => {
  it('has writes and reads to walk', () => {
    // A contract that lost its actions would pass every check below vacuously.
    expect(writes.length).toBeGreaterThan(15);
    expect(reads.length).toBeGreaterThan(10);
  });

  it.each(writes)('%s declares at least one event type, each one the stream knows', (action) => {
    const types = declared[action];
    expect(types?.length).toBeGreaterThan(0);
    for (const type of types ?? []) expect({ action, type, known: isEventType(type) }).toEqual({ action, type, known: true });
    expect(new Set(types).size).toBe(types?.length);
  });

  it('declares nothing for a read, and names no action the contract lacks', () => {
    for (const action of Object.keys(emittedBy)) {
      expect({ action, kind: (actions as Record<string, { kind: string } | undefined>)[action]?.kind }).toEqual({ action, kind: 'write' });
    }
    for (const action of reads) expect({ action, declared: declared[action] }).toEqual({ action, declared: undefined });
  });

  it('leaves no event type without a write that emits it, but the stock fold’s', () => {
    const emitted = new Set(Object.values(declared).flatMap((types) => types ?? []));
    const orphans = Object.keys(events).filter((type) => !emitted.has(type) && !type.startsWith('stock.'));
    expect(orphans).toEqual([]);
    // The fold's types really exist, and no write claims them.
    const stock = Object.keys(events).filter((type) => type.startsWith('stock.'));
    expect(stock.sort()).toEqual(['stock.backToPar', 'stock.belowPar']);
    for (const type of stock) expect(emitted.has(type)).toBe(false);
  });

  it('gives every event type a version from 1 and an aggregate type', () => {
    for (const [type, def] of Object.entries(events)) {
      expect({ type, version: def.version >= 1, aggregateType: def.aggregateType.length > 0 }).toEqual({ type, version: true, aggregateType: true });
    }
  });
});
