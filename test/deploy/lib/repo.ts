/**
 * Paths and small readers shared by the deployment tests (docker compose,
 * Kubernetes manifests, Dockerfiles).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';

export const repoRoot: string = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export function repoPath(...parts: string[]): string {
  return join(repoRoot, ...parts);
}

export function readRepoFile(...parts: string[]): string {
  return readFileSync(repoPath(...parts), 'utf8');
}

/**
 * The Compose Specification schema lives in shared/, beside the repository
 * (a fresh CI clone has <repo>/../shared/schemas/compose-spec.json).
 */
export const composeSchemaPath: string = resolve(repoRoot, '..', 'shared', 'schemas', 'compose-spec.json');

export function loadComposeSchema(): Record<string, unknown> {
  if (!existsSync(composeSchemaPath)) {
    throw new Error(
      `The Compose Specification schema is missing: expected ${composeSchemaPath} ` +
        '(shared/schemas/compose-spec.json beside the repository checkout).',
    );
  }
  return JSON.parse(readFileSync(composeSchemaPath, 'utf8')) as Record<string, unknown>;
}

/** One YAML document, with `<<` merge keys resolved as Compose does. */
export function parseYaml(text: string): unknown {
  return parse(text, { merge: true });
}

/** Every document of a multi-document YAML file, failing on syntax errors. */
export function parseYamlDocuments(text: string, file: string): unknown[] {
  return parseAllDocuments(text, { merge: true }).flatMap((doc) => {
    if (doc.errors.length) throw new Error(`${file}: ${doc.errors.map((e) => e.message).join('; ')}`);
    const value: unknown = doc.toJS();
    return value === null || value === undefined ? [] : [value];
  });
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface EnvExampleEntry {
  key: string;
  value: string;
  /** The comment line right above the variable, if any. */
  comment: string | undefined;
}

/** KEY=value lines of an env example file. */
export function parseEnvExample(text: string): Map<string, EnvExampleEntry> {
  const entries = new Map<string, EnvExampleEntry>();
  let previous: string | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (match) {
      const [, key = '', rawValue = ''] = match;
      const value = rawValue.replace(/^(['"])(.*)\1$/, '$2');
      entries.set(key, { key, value, comment: previous?.startsWith('#') ? previous : undefined });
    }
    previous = line;
  }
  return entries;
}

/** The variables compose reads from .env are documented in .env.example. */
export function envExampleFile(): string {
  return '.env.example';
}
