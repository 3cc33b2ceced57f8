import { describe, expect, it } from '@jest/globals';
import {
  allPorts,
  DEFAULT_PORT_BASE,
  frontEndPortFromEnv,
  portBaseFromEnv,
  portPlan,
  workerCountFromEnv,
} from '../../../scripts/stack/ports.js';

describe('port plan', () => {
  it('derives every port from the base', () => {
    expect(portPlan(21000)).toEqual({
      base: 21000,
      etcdClient: 21001,
      etcdPeer: 21002,
      postgres: [21010, 21011],
      patroniRest: [21020, 21021],
      amqp: [21030, 21031, 21032],
      management: [21040, 21041, 21042],
      erlangDist: [21050, 21051, 21052],
    });
  });

  it('has no duplicate ports and stays below base + 60', () => {
    const ports = allPorts(portPlan(22000));
    expect(new Set(ports).size).toBe(ports.length);
    expect(Math.min(...ports)).toBeGreaterThan(22000);
    expect(Math.max(...ports)).toBeLessThan(22060);
  });

  it('keeps the dev and test stacks apart', () => {
    const dev = new Set(allPorts(portPlan(DEFAULT_PORT_BASE)));
    // 22000: the test run's default base (test/setup/global-setup.ts).
    expect(allPorts(portPlan(22000)).some((p) => dev.has(p))).toBe(false);
  });

  it('rejects bases that are not integers or leave no room', () => {
    for (const bad of [0, 80, 1023, 21000.5, 65500, Number.NaN]) expect(() => portPlan(bad)).toThrow(RangeError);
    expect(() => portPlan(65535 - 52)).not.toThrow();
  });
});

describe('environment', () => {
  it('reads STACK_PORT_BASE with a default', () => {
    expect(portBaseFromEnv({})).toBe(21000);
    expect(portBaseFromEnv({ STACK_PORT_BASE: '' })).toBe(21000);
    expect(portBaseFromEnv({ STACK_PORT_BASE: ' 43000 ' })).toBe(43000);
    expect(portBaseFromEnv({}, 22000)).toBe(22000);
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
