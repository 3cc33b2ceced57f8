import { describe, expect, it } from '@jest/globals';
import {
  allPorts,
  DEFAULT_PORT_BASE,
  frontEndPortFromEnv,
  portBaseFromEnv,
  portPlan,
  TEST_PORT_BASE,
  workerCountFromEnv,
} from '../../../scripts/stack/ports.js';

describe('port plan', () => {
  it('derives every port from the base', () => {
    expect(portPlan(41000)).toEqual({
      base: 41000,
      etcdClient: 41001,
      etcdPeer: 41002,
      postgres: [41010, 41011],
      patroniRest: [41020, 41021],
      amqp: [41030, 41031, 41032],
      management: [41040, 41041, 41042],
      erlangDist: [41050, 41051, 41052],
    });
  });

  it('has no duplicate ports and stays below base + 60', () => {
    const ports = allPorts(portPlan(42000));
    expect(new Set(ports).size).toBe(ports.length);
    expect(Math.min(...ports)).toBeGreaterThan(42000);
    expect(Math.max(...ports)).toBeLessThan(42060);
  });

  it('keeps the dev and test stacks apart', () => {
    const dev = new Set(allPorts(portPlan(DEFAULT_PORT_BASE)));
    expect(allPorts(portPlan(TEST_PORT_BASE)).some((p) => dev.has(p))).toBe(false);
  });

  it('rejects bases that are not integers or leave no room', () => {
    for (const bad of [0, 80, 1023, 41000.5, 65500, Number.NaN]) expect(() => portPlan(bad)).toThrow(RangeError);
    expect(() => portPlan(65535 - 52)).not.toThrow();
  });
});

describe('environment', () => {
  it('reads STACK_PORT_BASE with a default', () => {
    expect(portBaseFromEnv({})).toBe(41000);
    expect(portBaseFromEnv({ STACK_PORT_BASE: '' })).toBe(41000);
    expect(portBaseFromEnv({ STACK_PORT_BASE: ' 43000 ' })).toBe(43000);
    expect(portBaseFromEnv({}, 42000)).toBe(42000);
    expect(() => portBaseFromEnv({ STACK_PORT_BASE: '43k' })).toThrow(/STACK_PORT_BASE/);
    expect(() => portBaseFromEnv({ STACK_PORT_BASE: '99999' })).toThrow(RangeError);
  });

  it('reads PORT and WORKERS with defaults', () => {
    expect(frontEndPortFromEnv({})).toBe(3000);
    expect(frontEndPortFromEnv({ PORT: '8080' })).toBe(8080);
    expect(() => frontEndPortFromEnv({ PORT: '70000' })).toThrow(RangeError);
    expect(workerCountFromEnv({})).toBe(2);
    expect(workerCountFromEnv({ WORKERS: '4' })).toBe(4);
    expect(() => workerCountFromEnv({ WORKERS: '-1' })).toThrow();
  });
});
