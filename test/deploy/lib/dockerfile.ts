/**
 * Just enough of the Dockerfile format (and of .dockerignore) to check the
 * repository's Dockerfiles and to replay their steps without a Docker engine.
 */
import { readFileSync } from 'node:fs';
import { repoPath } from './repo.js';

export interface Instruction {
  keyword: string;
  /** Everything after the keyword, continuation lines joined. */
  args: string;
  line: number;
}

export interface Stage {
  index: number;
  name: string | undefined;
  /** The FROM image (or earlier stage) after ARG substitution. */
  base: string;
  instructions: Instruction[];
}

export interface Dockerfile {
  path: string;
  /** ARGs declared before the first FROM, with their defaults. */
  globalArgs: Map<string, string | undefined>;
  stages: Stage[];
}

/** Instructions in order: continuation lines joined, comments dropped. Heredocs are refused. */
export function readInstructions(text: string): Instruction[] {
  const out: Instruction[] = [];
  const lines = text.split('\n');
  let current: { text: string; line: number } | undefined;
  for (const [i, raw] of lines.entries()) {
    const trimmed = raw.trim();
    if (current === undefined) {
      if (trimmed === '' || trimmed.startsWith('#')) continue;
      current = { text: '', line: i + 1 };
    } else if (trimmed.startsWith('#')) {
      continue; // comment lines inside a continued instruction are ignored
    }
    const continued = /\\\s*$/.test(raw);
    current.text += (current.text ? ' ' : '') + (continued ? raw.replace(/\\\s*$/, '') : raw).trim();
    if (!continued) {
      const m = /^([A-Za-z]+)\s*(.*)$/s.exec(current.text);
      if (!m) throw new Error(`line ${current.line}: cannot parse ${current.text}`);
      const [, keyword = '', args = ''] = m;
      if (/<<-?\s*['"]?[A-Za-z_]/.test(args) && /^(RUN|COPY)$/i.test(keyword)) {
        throw new Error(`line ${current.line}: heredocs are not supported by this check`);
      }
      out.push({ keyword: keyword.toUpperCase(), args: args.trim(), line: current.line });
      current = undefined;
    }
  }
  if (current) throw new Error(`line ${current.line}: unterminated continuation`);
  return out;
}

/** $NAME and ${NAME} / ${NAME:-default} substitution as Docker does for FROM, ENV, COPY, WORKDIR... */
export function substitute(text: string, vars: ReadonlyMap<string, string | undefined>): string {
  return text.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::([-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g, (_all, braced: string | undefined, op: string | undefined, word: string | undefined, bare: string | undefined) => {
    const value = vars.get((braced ?? bare) as string);
    if (op === '-') return value ? value : (word ?? '');
    if (op === '+') return value ? (word ?? '') : '';
    return value ?? '';
  });
}

export function parseDockerfile(relPath: string): Dockerfile {
  const text = readFileSync(repoPath(relPath), 'utf8');
  const instructions = readInstructions(text);
  const globalArgs = new Map<string, string | undefined>();
  const stages: Stage[] = [];
  for (const ins of instructions) {
    if (ins.keyword === 'FROM') {
      const m = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(ins.args);
      if (!m) throw new Error(`${relPath}:${ins.line}: cannot parse FROM ${ins.args}`);
      const [, image = '', name] = m;
      stages.push({ index: stages.length, name, base: substitute(image, globalArgs), instructions: [] });
    } else if (stages.length === 0) {
      if (ins.keyword !== 'ARG') throw new Error(`${relPath}:${ins.line}: only ARG may precede FROM`);
      for (const [k, v] of parseKeyValues(ins.args, true)) globalArgs.set(k, v);
    } else {
      stages[stages.length - 1]?.instructions.push(ins);
    }
  }
  if (stages.length === 0) throw new Error(`${relPath}: no FROM`);
  return { path: relPath, globalArgs, stages };
}

/** Shell-like words: whitespace-separated, with '...' and "..." quoting and backslash escapes. */
export function shellWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < text.length) word += text.charAt(++i);
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < text.length) {
      word += text.charAt(++i);
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) throw new Error(`unterminated quote in: ${text}`);
  if (inWord) words.push(word);
  return words;
}

/** ENV/ARG/LABEL arguments: KEY=value pairs (or the legacy `ENV KEY value`). */
export function parseKeyValues(args: string, allowBare = false): [string, string | undefined][] {
  const words = shellWords(args);
  if (!allowBare && words.length >= 2 && !(words[0] ?? '').includes('=')) {
    const [key = '', ...rest] = words;
    return [[key, rest.join(' ')]];
  }
  return words.map((w) => {
    const eq = w.indexOf('=');
    if (eq < 0) {
      if (!allowBare) throw new Error(`expected KEY=value, got ${w}`);
      return [w, undefined];
    }
    return [w.slice(0, eq), w.slice(eq + 1)];
  });
}

/** Exec form (JSON array) or shell form (wrapped in /bin/sh -c) of RUN/CMD/ENTRYPOINT. */
export function commandForm(args: string): { exec: boolean; argv: string[] } {
  if (args.startsWith('[')) {
    const argv: unknown = JSON.parse(args);
    if (!Array.isArray(argv) || !argv.every((a): a is string => typeof a === 'string')) {
      throw new Error(`not a JSON array of strings: ${args}`);
    }
    return { exec: true, argv };
  }
  return { exec: false, argv: ['/bin/sh', '-c', args] };
}

export interface CopyInstruction {
  from: string | undefined;
  chown: string | undefined;
  chmod: string | undefined;
  sources: string[];
  dest: string;
  line: number;
}

export function parseCopy(ins: Instruction): CopyInstruction {
  const cmd = ins.args.startsWith('[') ? commandForm(ins.args).argv : shellWords(ins.args);
  const flags = new Map<string, string>();
  while (cmd[0]?.startsWith('--')) {
    const flag = cmd.shift() as string;
    const eq = flag.indexOf('=');
    flags.set(eq < 0 ? flag.slice(2) : flag.slice(2, eq), eq < 0 ? 'true' : flag.slice(eq + 1));
  }
  for (const flag of flags.keys()) {
    if (!['from', 'chown', 'chmod', 'link'].includes(flag)) throw new Error(`line ${ins.line}: unsupported COPY flag --${flag}`);
  }
  if (cmd.length < 2) throw new Error(`line ${ins.line}: COPY needs a source and a destination`);
  const dest = cmd.pop() as string;
  return { from: flags.get('from'), chown: flags.get('chown'), chmod: flags.get('chmod'), sources: cmd, dest, line: ins.line };
}

export interface Healthcheck {
  argv: string[];
  exec: boolean;
  options: Map<string, string>;
}

export function parseHealthcheck(args: string): Healthcheck | undefined {
  if (/^NONE$/i.test(args)) return undefined;
  const options = new Map<string, string>();
  let rest = args;
  for (;;) {
    const m = /^--([a-z-]+)=(\S+)\s+/.exec(rest);
    if (!m) break;
    options.set(m[1] as string, m[2] as string);
    rest = rest.slice(m[0].length);
  }
  const cmd = /^CMD\s+(.*)$/is.exec(rest);
  if (!cmd) throw new Error(`HEALTHCHECK without CMD: ${args}`);
  const { exec, argv } = commandForm((cmd[1] as string).trim());
  return { argv, exec, options };
}

/** The last instruction with this keyword in a stage. */
export function lastOf(stage: Stage, keyword: string): Instruction | undefined {
  return [...stage.instructions].reverse().find((i) => i.keyword === keyword);
}

export function finalStage(df: Dockerfile): Stage {
  return df.stages[df.stages.length - 1] as Stage;
}

/** ENV of a stage, in order, with $VAR references expanded against what came before. */
export function stageEnv(stage: Stage, base: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = { ...base };
  for (const ins of stage.instructions) {
    if (ins.keyword !== 'ENV') continue;
    for (const [k, v] of parseKeyValues(ins.args)) {
      env[k] = substitute(v ?? '', new Map(Object.entries(env)));
    }
  }
  return env;
}

/** Docker image references: [registry/]repository[:tag][@digest]. */
export function splitImage(ref: string): { repository: string; tag: string | undefined; digest: string | undefined } {
  const [nameTag = '', digest] = ref.split('@');
  const slash = nameTag.lastIndexOf('/');
  const colon = nameTag.lastIndexOf(':');
  if (colon > slash) return { repository: nameTag.slice(0, colon), tag: nameTag.slice(colon + 1), digest };
  return { repository: nameTag, tag: undefined, digest };
}

/** Pinned: a digest, or a tag carrying a version number (not latest/stable/lts/...). */
export function isPinned(ref: string): boolean {
  const { tag, digest } = splitImage(ref);
  if (digest) return true;
  if (!tag) return false;
  return /^v?\d+\.\d+/.test(tag) && !/latest/i.test(tag);
}

// ---------------------------------------------------------------------------
// .dockerignore

interface IgnoreRule {
  negate: boolean;
  regex: RegExp;
}

function patternToRegex(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        // `**/` matches zero or more directories, a trailing `**` anything
        if (pattern[i + 2] === '/') {
          re += '(?:.*/)?';
          i += 2;
        } else {
          re += '.*';
          i += 1;
        }
      } else {
        re += '[^/]*';
      }
    } else if (c === '?') {
      re += '[^/]';
    } else {
      re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${re}$`);
}

/** Docker's .dockerignore semantics: last matching rule wins; a match on a directory covers its contents. */
export class DockerIgnore {
  private readonly rules: IgnoreRule[];

  constructor(text: string) {
    this.rules = text
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'))
      .map((l) => {
        const negate = l.startsWith('!');
        const pattern = (negate ? l.slice(1) : l).trim().replace(/^\/+/, '').replace(/\/+$/, '').replace(/^\.\//, '');
        return { negate, regex: patternToRegex(pattern) };
      });
  }

  static load(): DockerIgnore {
    let text = '';
    try {
      text = readFileSync(repoPath('.dockerignore'), 'utf8');
    } catch {
      // no .dockerignore: nothing is ignored
    }
    return new DockerIgnore(text);
  }

  /** Path relative to the build context, with forward slashes. */
  ignores(relPath: string): boolean {
    const parts = relPath.split('/').filter((p) => p !== '' && p !== '.');
    let ignored = false;
    for (const rule of this.rules) {
      for (let n = 1; n <= parts.length; n++) {
        if (rule.regex.test(parts.slice(0, n).join('/'))) {
          ignored = !rule.negate;
          break;
        }
      }
    }
    return ignored;
  }
}
