/**
 * docker-compose.yml as `docker compose config` would see it: YAML merge keys
 * resolved, ${VARIABLE} interpolation done with the values of .env.
 */
import { isRecord, parseYaml, readRepoFile } from './repo.js';

export const COMPOSE_FILE = 'docker-compose.yml';

/** A YAML scalar as compose reads it (a number or a boolean as its text); a mapping or a list is not one. */
function scalar(value: unknown, what: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Error(`${what} must be a scalar, not ${JSON.stringify(value)}`);
}

export function loadRawCompose(): Record<string, unknown> {
  const doc = parseYaml(readRepoFile(COMPOSE_FILE));
  if (!isRecord(doc)) throw new Error(`${COMPOSE_FILE} is not a mapping`);
  return doc;
}

// $$ | $NAME | ${NAME} | ${NAME<op>word} with op one of :- - :? ? :+ +
const VARIABLE = /\$(?:(\$)|([A-Za-z_][A-Za-z0-9_]*)|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])((?:[^{}]|\{[^{}]*\})*))?\})/g;

/** Names of the variables a string refers to (including those only in defaults). */
export function variablesIn(text: string): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(VARIABLE)) {
    const name = m[2] ?? m[3];
    if (name) names.push(name);
    if (m[5]) names.push(...variablesIn(m[5]));
  }
  return names;
}

/** Compose's interpolation of one string; throws on `${VAR:?message}` like compose does. */
export function interpolate(text: string, env: Record<string, string | undefined>): string {
  return text.replace(VARIABLE, (_all, dollar: string | undefined, bare: string | undefined, name: string | undefined, op: string | undefined, word: string | undefined) => {
    if (dollar) return '$';
    const key = (bare ?? name) as string;
    const value = env[key];
    const unset = value === undefined;
    const empty = unset || value === '';
    const arg = word === undefined ? '' : interpolate(word, env);
    switch (op) {
      case undefined:
        return value ?? '';
      case ':-':
        return empty ? arg : value;
      case '-':
        return unset ? arg : value;
      case ':?':
        if (empty) throw new Error(`required variable ${key} is missing a value: ${arg}`);
        return value;
      case '?':
        if (unset) throw new Error(`required variable ${key} is missing a value: ${arg}`);
        return value;
      case ':+':
        return empty ? '' : arg;
      case '+':
        return unset ? '' : arg;
      default:
        throw new Error(`unsupported interpolation operator ${op}`);
    }
  });
}

/** Every string value (not keys) of a parsed document, with its path. */
export function* stringValues(value: unknown, path = ''): Generator<[string, string]> {
  if (typeof value === 'string') {
    yield [path, value];
  } else if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) yield* stringValues(v, `${path}[${i}]`);
  } else if (isRecord(value)) {
    for (const [k, v] of Object.entries(value)) yield* stringValues(v, path ? `${path}.${k}` : k);
  }
}

export function interpolateDocument(value: unknown, env: Record<string, string | undefined>): unknown {
  if (typeof value === 'string') return interpolate(value, env);
  if (Array.isArray(value)) return value.map((v) => interpolateDocument(v, env));
  if (isRecord(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateDocument(v, env)]));
  }
  return value;
}

export interface ComposeService {
  name: string;
  spec: Record<string, unknown>;
}

export function services(doc: Record<string, unknown>): ComposeService[] {
  const all = doc['services'];
  if (!isRecord(all)) throw new Error('compose file has no services');
  return Object.entries(all).map(([name, spec]) => {
    if (!isRecord(spec)) throw new Error(`service ${name} is not a mapping`);
    return { name, spec };
  });
}

export function service(doc: Record<string, unknown>, name: string): Record<string, unknown> {
  const found = services(doc).find((s) => s.name === name);
  if (!found) throw new Error(`compose file has no service ${name}`);
  return found.spec;
}

/** A service's environment as a map (list form KEY=value or mapping form). */
export function serviceEnv(spec: Record<string, unknown>): Record<string, string> {
  const env = spec['environment'];
  if (env === undefined) return {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((item) => {
        const text = String(item);
        const eq = text.indexOf('=');
        return eq < 0 ? [text, ''] : [text.slice(0, eq), text.slice(eq + 1)];
      }),
    );
  }
  if (isRecord(env)) {
    return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : scalar(v, `environment variable ${k}`)]));
  }
  throw new Error('environment must be a list or a mapping');
}

/** Names of the services a service depends on, with their condition. */
export function dependsOn(spec: Record<string, unknown>): Map<string, string> {
  const deps = spec['depends_on'];
  const out = new Map<string, string>();
  if (Array.isArray(deps)) for (const d of deps) out.set(String(d), 'service_started');
  else if (isRecord(deps)) {
    for (const [name, cfg] of Object.entries(deps)) {
      out.set(name, isRecord(cfg) && typeof cfg['condition'] === 'string' ? cfg['condition'] : 'service_started');
    }
  }
  return out;
}

export interface VolumeMount {
  source: string;
  target: string;
  type: 'bind' | 'volume';
}

/** Short (source:target[:mode]) and long volume syntax. */
export function volumeMounts(spec: Record<string, unknown>): VolumeMount[] {
  const volumes = spec['volumes'];
  if (!Array.isArray(volumes)) return [];
  return volumes.map((v) => {
    if (typeof v === 'string') {
      const [source = '', target = ''] = v.split(':');
      const type = source.startsWith('.') || source.startsWith('/') || source.startsWith('~') ? 'bind' : 'volume';
      return { source, target, type };
    }
    if (isRecord(v)) {
      return { source: scalar(v['source'] ?? '', 'a volume source'), target: scalar(v['target'] ?? '', 'a volume target'), type: v['type'] === 'bind' ? 'bind' : 'volume' };
    }
    throw new Error(`unsupported volume entry ${JSON.stringify(v)}`);
  });
}
