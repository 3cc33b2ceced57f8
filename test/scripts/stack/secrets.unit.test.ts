import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { generateSecrets, loadOrCreateSecrets } from '../../../scripts/stack/secrets.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'barback-secrets-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('stack secrets', () => {
  it('generates distinct, well-formed values', () => {
    const a = generateSecrets();
    const b = generateSecrets();
    expect(a.sessionKey).toMatch(/^[0-9a-f]{64}$/);
    expect(a.erlangCookie).toMatch(/^[A-Z]{32}$/);
    for (const k of ['postgresPassword', 'replicationPassword', 'dbPassword', 'rabbitmqPassword'] as const) {
      expect(a[k]).toMatch(/^[0-9a-f]{36}$/);
      expect(a[k]).not.toBe(b[k]);
    }
    expect(new Set(Object.values(a)).size).toBe(6);
  });

  it('persists them once with mode 0600 and reuses them', () => {
    const dir = tempDir();
    const first = loadOrCreateSecrets(dir);
    const file = join(dir, 'secrets.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadOrCreateSecrets(dir)).toEqual(first);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(first);
  });

  it('keeps existing values and adds missing ones', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'secrets.json'), JSON.stringify({ dbPassword: 'kept' }), { mode: 0o644 });
    const s = loadOrCreateSecrets(dir);
    expect(s.dbPassword).toBe('kept');
    expect(s.sessionKey).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
    expect(loadOrCreateSecrets(dir)).toEqual(s);
  });

  it('refuses a file that is not JSON', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'secrets.json'), 'not json');
    expect(() => loadOrCreateSecrets(dir)).toThrow(/cannot read/);
  });
});
