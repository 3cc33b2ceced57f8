/**
 * Local credentials of the stack: generated once, kept in <dataDir>/secrets.json
 * (mode 0600) and reused by every later run on the same data.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Fixed names of the roles, users and database the stack creates. */
export const NAMES = {
  superuser: 'postgres',
  replicationUser: 'replicator',
  dbUser: 'barback',
  dbName: 'barback',
  rabbitUser: 'barback',
  patroniScope: 'barback',
} as const;

export interface StackSecrets {
  /** PostgreSQL superuser (`postgres`) password. */
  postgresPassword: string;
  /** Streaming replication user (`replicator`) password. */
  replicationPassword: string;
  /** Application database user (`barback`) password. */
  dbPassword: string;
  /** RabbitMQ application user (`barback`) password. */
  rabbitmqPassword: string;
  /** Erlang cookie shared by the RabbitMQ nodes and rabbitmqctl. */
  erlangCookie: string;
  /** Front-end session key: 64 hex characters (32 bytes). */
  sessionKey: string;
}

const KEYS: readonly (keyof StackSecrets)[] = [
  'postgresPassword',
  'replicationPassword',
  'dbPassword',
  'rabbitmqPassword',
  'erlangCookie',
  'sessionKey',
];

const COOKIE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

function password(): string {
  // hex: safe in URLs, connection strings, shell and config files without escaping
  return randomBytes(18).toString('hex');
}

function cookie(): string {
  const bytes = randomBytes(32);
  let out = '';
  for (const b of bytes) out += COOKIE_ALPHABET.charAt(b % COOKIE_ALPHABET.length);
  return out;
}

export function generateSecrets(): StackSecrets {
  return {
    postgresPassword: password(),
    replicationPassword: password(),
    dbPassword: password(),
    rabbitmqPassword: password(),
    erlangCookie: cookie(),
    sessionKey: randomBytes(32).toString('hex'),
  };
}

export function secretsFilePath(dataDir: string): string {
  return join(dataDir, 'secrets.json');
}

function isValid(value: unknown): value is StackSecrets {
  if (typeof value !== 'object' || value === null) return false;
  const rec = value as Record<string, unknown>;
  if (!KEYS.every((k) => typeof rec[k] === 'string' && rec[k].length > 0)) return false;
  return /^[0-9a-f]{64}$/.test(rec['sessionKey'] as string) && /^[A-Za-z0-9]+$/.test(rec['erlangCookie'] as string);
}

/**
 * Reads <dataDir>/secrets.json, creating it (mode 0600) with fresh random
 * values when it does not exist. Values missing from an older file are added.
 */
export function loadOrCreateSecrets(dataDir: string): StackSecrets {
  const file = secretsFilePath(dataDir);
  if (existsSync(file)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new Error(`cannot read ${file}: ${(err as Error).message}`);
    }
    if (isValid(parsed)) {
      chmodSync(file, 0o600);
      return pick(parsed);
    }
    if (typeof parsed !== 'object' || parsed === null) throw new Error(`${file} is not a JSON object`);
    // Fill in what is missing, keep what exists (it may already be in use by data on disk).
    const merged = { ...generateSecrets(), ...(parsed as Partial<StackSecrets>) };
    if (!isValid(merged)) throw new Error(`${file} holds invalid values; delete the stack data to start afresh`);
    writeSecrets(file, merged);
    return pick(merged);
  }
  const secrets = generateSecrets();
  writeSecrets(file, secrets);
  return secrets;
}

function pick(s: StackSecrets): StackSecrets {
  const out = {} as StackSecrets;
  for (const k of KEYS) out[k] = s[k];
  return out;
}

function writeSecrets(file: string, secrets: StackSecrets): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(pick(secrets), null, 2) + '\n', { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}
