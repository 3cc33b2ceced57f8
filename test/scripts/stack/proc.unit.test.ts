import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import {
  groupMembers,
  isRecordAlive,
  readAllPidRecords,
  readPidRecord,
  restartFromRecord,
  spawnService,
  stopService,
  type ServiceSpec,
} from '../../../scripts/stack/proc.js';

const dir = mkdtempSync(join(tmpdir(), 'barback-proc-'));
const pidDir = join(dir, 'pids');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function spec(name: string, script: string): ServiceSpec {
  return {
    name,
    kind: 'worker',
    command: '/bin/sh',
    args: ['-c', script, `barback-proc-test-${name}`],
    env: { PATH: '/usr/bin:/bin' },
    cwd: dir,
    logFile: join(dir, `${name}.log`),
    cmdMarker: `barback-proc-test-${name}`,
  };
}

// Spawning and signalling real processes: slow on a loaded 2-core machine.
describe('managed processes', () => {
  it('records, verifies and stops a process group, children included', async () => {
    const { record } = await spawnService(spec('sleeper', 'echo hello; sleep 60 & sleep 60; wait'), pidDir);
    expect(readPidRecord(pidDir, 'sleeper')).toEqual(record);
    expect(isRecordAlive(record)).toBe(true);
    for (let i = 0; i < 50 && groupMembers(record).length < 3; i++) await new Promise((r) => setTimeout(r, 20));
    expect(groupMembers(record).length).toBe(3);
    expect(await stopService(record, { timeoutMs: 5000 })).toBe('stopped');
    expect(groupMembers(record)).toEqual([]);
    expect(isRecordAlive(record)).toBe(false);
    expect(readFileSync(record.spec.logFile, 'utf8')).toContain('hello');
  }, 20_000);

  it('kills what ignores SIGTERM after the timeout', async () => {
    const { record } = await spawnService(spec('stubborn', "trap '' TERM; while :; do sleep 0.1; done"), pidDir);
    await new Promise((r) => setTimeout(r, 100));
    expect(await stopService(record, { timeoutMs: 500 })).toBe('killed');
    expect(groupMembers(record)).toEqual([]);
  }, 20_000);

  it('does not touch a pid that no longer matches its record', async () => {
    const { record } = await spawnService(spec('short', 'sleep 30; true'), pidDir);
    const forged = { ...record, startTime: record.startTime - 1 };
    expect(isRecordAlive(forged)).toBe(false);
    expect(isRecordAlive({ ...record, spec: { ...record.spec, cmdMarker: 'something-else' } })).toBe(false);
    expect(await stopService(record, { timeoutMs: 5000 })).toBe('stopped');
    expect(await stopService(record, { timeoutMs: 5000 })).toBe('not-running');
  }, 20_000);

  it('restarts a service from its record', async () => {
    const { record } = await spawnService(spec('again', 'sleep 30; true'), pidDir);
    await stopService(record, { timeoutMs: 5000 });
    const { record: again } = await restartFromRecord(pidDir, 'again');
    expect(again.pid).not.toBe(record.pid);
    expect(isRecordAlive(again)).toBe(true);
    await expect(restartFromRecord(pidDir, 'again')).rejects.toThrow(/still running/);
    await stopService(again, { timeoutMs: 5000 });
    expect(readAllPidRecords(pidDir).map((r) => r.name).sort()).toEqual(['again', 'short', 'sleeper', 'stubborn']);
  }, 20_000);

  it('reports a command that cannot start', async () => {
    await expect(spawnService({ ...spec('missing', ''), command: '/nonexistent/binary' }, pidDir)).rejects.toThrow(/cannot start missing/);
  }, 20_000);
});
