/**
 * Replays a (Node) Dockerfile without a Docker engine: every stage gets its own
 * directory standing for the image's filesystem, COPY copies from the build
 * context (the repository, filtered by .dockerignore) or from an earlier stage,
 * and RUN runs the very same command with `sh -c` in the stage's WORKDIR, with
 * the stage's ARG/ENV values in the environment. The base image itself is not
 * emulated: node and the system tools come from this machine, so the check is
 * about the Dockerfile's own steps (install, build, prune, what is copied where).
 * A RUN step that only installs Debian packages (apt-get) is skipped for the same
 * reason; `npm run test:compose` builds the images for real.
 */
import { spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, lstatSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, posix, relative } from 'node:path';
import {
  commandForm,
  DockerIgnore,
  parseCopy,
  parseHealthcheck,
  parseKeyValues,
  substitute,
  type Dockerfile,
  type Healthcheck,
  type Stage,
} from './dockerfile.js';
import { repoRoot } from './repo.js';

export interface StageResult {
  name: string;
  /** Directory standing for the stage's `/`. */
  root: string;
  workdir: string;
  env: Record<string, string>;
  user: string | undefined;
  cmd: string[] | undefined;
  entrypoint: string[] | undefined;
  healthcheck: Healthcheck | undefined;
  log: string[];
}

export interface ReplayOptions {
  /** Scratch directory for this Dockerfile's stages. */
  workDir: string;
  /** Where `npm install --global` goes (npm_config_prefix); its bin/ is first on PATH. */
  npmPrefix: string;
  /** Milliseconds per RUN step. */
  runTimeoutMs?: number;
}

/** The environment a RUN step sees: a clean one, like a build container's, plus ARG/ENV. */
function buildEnv(npmPrefix: string, vars: Record<string, string>): Record<string, string> {
  const keep = ['HOME', 'LANG', 'TMPDIR', 'http_proxy', 'https_proxy', 'no_proxy', 'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'NODE_EXTRA_CA_CERTS', 'SSL_CERT_FILE'];
  const env: Record<string, string> = {};
  for (const k of keep) {
    const v = process.env[k];
    if (v !== undefined) env[k] = v;
  }
  env['PATH'] = `${join(npmPrefix, 'bin')}:${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`;
  env['npm_config_prefix'] = npmPrefix;
  env['npm_config_update_notifier'] = 'false';
  return { ...env, ...vars };
}

export function runCommand(
  argv: string[],
  options: { cwd: string; env: Record<string, string>; timeoutMs: number },
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const [cmd = '', ...args] = argv;
    const child = spawn(cmd, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.length > 200_000) output = output.slice(-100_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`timed out after ${options.timeoutMs} ms: ${argv.join(' ')}\n${output.slice(-4000)}`));
    }, options.timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** Absolute image path -> path inside the stage directory. */
function inStage(root: string, imagePath: string): string {
  return join(root, imagePath);
}

function copyFromContext(ignore: DockerIgnore, source: string, target: string, copyContents: boolean): number {
  const abs = join(repoRoot, source);
  if (!existsSync(abs)) throw new Error(`COPY source ${source} does not exist in the build context`);
  if (ignore.ignores(source)) throw new Error(`COPY source ${source} is excluded by .dockerignore`);
  let files = 0;
  const dest = copyContents || !statSync(abs).isDirectory() ? target : join(target, basename(abs));
  cpSync(abs, dest, {
    recursive: true,
    verbatimSymlinks: true,
    filter: (src) => {
      const rel = relative(repoRoot, src).split('\\').join('/');
      if (rel !== '' && ignore.ignores(rel)) return false;
      if (lstatSync(src).isFile()) files += 1;
      return true;
    },
  });
  return files;
}

/** Builds the Dockerfile's stages in order; returns every stage by name (and index). */
export async function replayDockerfile(df: Dockerfile, options: ReplayOptions): Promise<Map<string, StageResult>> {
  const ignore = DockerIgnore.load();
  const results = new Map<string, StageResult>();
  const timeoutMs = options.runTimeoutMs ?? 10 * 60_000;

  for (const stage of df.stages) {
    const name = stage.name ?? String(stage.index);
    const root = join(options.workDir, `stage-${stage.index}-${name}`);
    const base = results.get(stage.base);
    if (base) cpSync(base.root, root, { recursive: true, verbatimSymlinks: true });
    else mkdirSync(root, { recursive: true });
    const result: StageResult = {
      name,
      root,
      workdir: base?.workdir ?? '/',
      env: { ...(base?.env ?? {}) },
      user: base?.user,
      cmd: base?.cmd,
      entrypoint: base?.entrypoint,
      healthcheck: base?.healthcheck,
      log: [],
    };
    const args = new Map<string, string | undefined>();
    await replayStage(df, stage, result, args, ignore, results, options, timeoutMs);
    results.set(name, result);
    results.set(String(stage.index), result);
  }
  return results;
}

async function replayStage(
  df: Dockerfile,
  stage: Stage,
  result: StageResult,
  args: Map<string, string | undefined>,
  ignore: DockerIgnore,
  done: Map<string, StageResult>,
  options: ReplayOptions,
  timeoutMs: number,
): Promise<void> {
  const vars = () => new Map<string, string | undefined>([...args, ...Object.entries(result.env)]);
  for (const ins of stage.instructions) {
    const where = `${df.path}:${ins.line}`;
    switch (ins.keyword) {
      case 'ARG':
        for (const [k, v] of parseKeyValues(ins.args, true)) {
          args.set(k, v !== undefined ? substitute(v, vars()) : df.globalArgs.get(k));
        }
        break;
      case 'ENV':
        for (const [k, v] of parseKeyValues(ins.args)) result.env[k] = substitute(v ?? '', vars());
        break;
      case 'WORKDIR': {
        const dir = substitute(ins.args, vars());
        result.workdir = posix.resolve(result.workdir, dir);
        mkdirSync(inStage(result.root, result.workdir), { recursive: true });
        break;
      }
      case 'COPY': {
        const copy = parseCopy(ins);
        const destImage = posix.resolve(result.workdir, substitute(copy.dest, vars()));
        const dest = inStage(result.root, destImage);
        const toDir = copy.dest.endsWith('/') || copy.sources.length > 1;
        if (toDir) mkdirSync(dest, { recursive: true });
        else mkdirSync(dirname(dest), { recursive: true });
        for (const rawSource of copy.sources) {
          const source = substitute(rawSource, vars());
          if (copy.from) {
            const from = done.get(copy.from);
            if (!from) throw new Error(`${where}: COPY --from=${copy.from}: no such earlier stage`);
            const src = inStage(from.root, posix.resolve(from.workdir, source));
            if (!existsSync(src)) throw new Error(`${where}: COPY --from=${copy.from} ${source}: not in that stage`);
            const target = statSync(src).isDirectory() || !toDir ? dest : join(dest, basename(src));
            cpSync(src, target, { recursive: true, verbatimSymlinks: true });
          } else {
            const rel = posix.normalize(source).replace(/^\.\/?/, '').replace(/\/$/, '');
            const target = !toDir || statSync(join(repoRoot, rel)).isDirectory() ? dest : join(dest, basename(rel));
            copyFromContext(ignore, rel, target, true);
          }
          if (copy.chmod && !toDir) chmodSync(dest, parseInt(copy.chmod, 8));
        }
        result.log.push(`COPY ${copy.sources.join(' ')} -> ${destImage}`);
        break;
      }
      case 'RUN': {
        if (/^--/.test(ins.args)) throw new Error(`${where}: RUN flags (--mount ...) are not replayed`);
        // Debian packages are the base image's business, like node and the system
        // tools, which come from this machine: a step that only installs them is not run.
        if (/^apt-get update\s*&&\s*apt-get install [^;|]*(&&\s*rm -rf \/var\/lib\/apt\/lists\/\*)?$/.test(ins.args.replace(/\s+/g, ' ').trim())) {
          result.log.push(`RUN ${ins.args} (skipped: installs Debian packages)`);
          break;
        }
        const { argv } = commandForm(ins.args);
        const env = buildEnv(options.npmPrefix, { ...Object.fromEntries([...args].filter((e): e is [string, string] => e[1] !== undefined)), ...result.env });
        const cwd = inStage(result.root, result.workdir);
        const started = Date.now();
        const { code, output } = await runCommand(argv, { cwd, env, timeoutMs });
        result.log.push(`RUN ${ins.args} (${Math.round((Date.now() - started) / 1000)} s, exit ${code})`);
        if (code !== 0) throw new Error(`${where}: RUN ${ins.args} failed with exit code ${code}:\n${output.slice(-6000)}`);
        break;
      }
      case 'USER':
        result.user = ins.args;
        break;
      case 'CMD':
        result.cmd = commandForm(ins.args).argv;
        break;
      case 'ENTRYPOINT':
        result.entrypoint = commandForm(ins.args).argv;
        result.cmd = undefined; // Docker resets CMD when ENTRYPOINT is set
        break;
      case 'HEALTHCHECK':
        result.healthcheck = parseHealthcheck(ins.args);
        break;
      case 'EXPOSE':
      case 'LABEL':
      case 'VOLUME':
      case 'STOPSIGNAL':
      case 'SHELL':
        break;
      default:
        throw new Error(`${where}: ${ins.keyword} is not replayed by this check`);
    }
  }
}

/** The files of a directory tree (relative paths), for assertions on what an image holds. */
export function listFiles(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return listFiles(join(dir, entry.name), rel);
    return [rel];
  });
}
