/**
 * The images' build steps, exercised without a Docker engine:
 *   - front-end and back-end: every stage of the Dockerfile is replayed (the
 *     same `npm install -g npm@…`, `npm ci`, `tsc -b`, production-only
 *     `npm ci --omit=dev` and COPYs, in a temporary copy of the build context
 *     filtered by .dockerignore); the runtime stage's CMD is started and its
 *     /healthz, /readyz and the image HEALTHCHECK are checked.
 *   - db: `patroni --validate-config` on the shared patroni.yml with the
 *     image's ENV plus the compose and the Kubernetes environments; the
 *     HEALTHCHECK script against a fake Patroni REST API.
 *   - RabbitMQ: the entrypoint script writes the Erlang cookie file and the first user.
 * A Dockerfile that cannot build, or an entrypoint that does not start, fails here.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { interpolateDocument, loadRawCompose, service, serviceEnv } from './lib/compose.js';
import { commandForm, finalStage, lastOf, parseDockerfile, parseHealthcheck, stageEnv, type Healthcheck } from './lib/dockerfile.js';
import { find, loadManifests, resolveEnv, workloads } from './lib/k8s.js';
import { replayDockerfile, runCommand, type StageResult } from './lib/replay.js';
import { envExampleFile, parseEnvExample, readRepoFile, repoPath } from './lib/repo.js';

const BUILD_TIMEOUT_MS = 20 * 60_000;
const scratch = mkdtempSync(join(tmpdir(), 'barback-images-'));
const npmPrefix = join(scratch, 'npm-global');
const children: ChildProcess[] = [];

afterAll(async () => {
  await Promise.all(children.map((c) => stop(c)));
  if (!process.env['KEEP_IMAGE_SCRATCH']) rmSync(scratch, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createTcpServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function httpStatus(url: string): Promise<number | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return undefined;
  }
}

/** Starts the image's CMD in the replayed runtime filesystem, like `docker run` would. */
function startImage(stage: StageResult, env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const argv = [...(stage.entrypoint ?? []), ...(stage.cmd ?? [])];
  const [cmd = '', ...args] = argv;
  const child = spawn(cmd === 'node' ? process.execPath : cmd, args, {
    cwd: join(stage.root, stage.workdir),
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: scratch, ...stage.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  return { child, output: () => output };
}

async function waitForStatus(url: string, want: number, child: ChildProcess, output: () => string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: number | undefined;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the entrypoint exited with code ${child.exitCode}:\n${output().slice(-4000)}`);
    last = await httpStatus(url);
    if (last === want) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} answered ${last ?? 'nothing'} (wanted ${want}) within ${timeoutMs} ms:\n${output().slice(-4000)}`);
}

/** Runs an image HEALTHCHECK command (exec form) with the container's environment. */
async function runHealthcheck(hc: Healthcheck | undefined, stage: StageResult, env: Record<string, string>): Promise<number | null> {
  if (!hc) throw new Error('no HEALTHCHECK');
  const [cmd = '', ...args] = hc.argv;
  const argv = [cmd === 'node' ? process.execPath : cmd, ...args];
  const { code } = await runCommand(argv, {
    cwd: join(stage.root, stage.workdir),
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: scratch, ...stage.env, ...env },
    timeoutMs: 20_000,
  });
  return code;
}

const SESSION_KEY = 'ab'.repeat(32);

describe('Node images, replayed', () => {
  const built = new Map<string, Map<string, StageResult>>();
  const failures = new Map<string, Error>();

  beforeAll(async () => {
    mkdirSync(npmPrefix, { recursive: true });
    // One after the other: two npm ci + tsc at once would fight over 2 cores.
    for (const app of ['front-end', 'back-end']) {
      try {
        built.set(app, await replayDockerfile(parseDockerfile(`${app}/Dockerfile`), { workDir: join(scratch, app), npmPrefix }));
      } catch (err) {
        failures.set(app, err as Error);
      }
    }
  }, 2 * BUILD_TIMEOUT_MS);

  function runtime(app: string): StageResult {
    const failure = failures.get(app);
    if (failure) throw failure;
    const stages = built.get(app);
    const df = parseDockerfile(`${app}/Dockerfile`);
    const final = stages?.get(finalStage(df).name ?? String(finalStage(df).index));
    if (!final) throw new Error(`${app}: no runtime stage`);
    return final;
  }

  describe.each(['front-end', 'back-end'])('%s/Dockerfile', (app) => {
    it('builds, and the runtime stage holds the compiled entrypoint with production dependencies only', () => {
      const stage = runtime(app);
      const app_ = join(stage.root, stage.workdir);
      expect(existsSync(join(app_, app, 'dist', 'server.js'))).toBe(true);
      expect(existsSync(join(app_, 'messaging', 'dist', 'index.js'))).toBe(true);
      // workspace links resolve inside the image
      const link = join(app_, 'node_modules', '@barback', app);
      expect(lstatSync(link).isSymbolicLink()).toBe(true);
      expect(realpathSync(link)).toBe(realpathSync(join(app_, app)));
      for (const dev of ['typescript', 'jest', '@swc/core', 'tsx', 'kubernetes-models']) {
        expect([dev, existsSync(join(app_, 'node_modules', dev))]).toEqual([dev, false]);
      }
      // no sources, no dev tooling configuration
      expect(existsSync(join(app_, app, 'src'))).toBe(false);
      if (app === 'front-end') {
        expect(existsSync(join(app_, 'front-end', 'views'))).toBe(true);
        expect(existsSync(join(app_, 'front-end', 'public'))).toBe(true);
        expect(existsSync(join(app_, 'node_modules', 'pg'))).toBe(false);
      } else {
        expect(existsSync(join(app_, 'db', 'dist', 'index.js'))).toBe(true);
        expect(existsSync(join(app_, 'db', 'migrations'))).toBe(true);
        expect(existsSync(join(app_, 'node_modules', 'fastify'))).toBe(false);
      }
    });
  });

  it('front-end: the entrypoint serves /healthz (200) and /readyz (503 without a broker); the HEALTHCHECK passes', async () => {
    const stage = runtime('front-end');
    const port = await freePort();
    const brokerPort = await freePort(); // nothing listens there
    const env = { HOST: '127.0.0.1', PORT: String(port), AMQP_URLS: `amqp://barback:x@127.0.0.1:${brokerPort}`, SESSION_KEY, LOG_LEVEL: 'warn' };
    const { child, output } = startImage(stage, env);
    await waitForStatus(`http://127.0.0.1:${port}/healthz`, 200, child, output);
    expect(await httpStatus(`http://127.0.0.1:${port}/readyz`)).toBe(503);
    expect(await runHealthcheck(stage.healthcheck, stage, env)).toBe(0);
    await stop(child);
    expect(await runHealthcheck(stage.healthcheck, stage, env)).not.toBe(0);
  }, 60_000);

  it('back-end: the worker serves /healthz (200) and /readyz (503 without broker and database) on HEALTH_PORT; the HEALTHCHECK passes', async () => {
    const stage = runtime('back-end');
    expect(stage.env['HEALTH_PORT']).toBe('8081');
    const port = await freePort();
    const closed = await freePort();
    const env = {
      HEALTH_PORT: String(port),
      AMQP_URLS: `amqp://barback:x@127.0.0.1:${closed}`,
      DB_HOSTS: `127.0.0.1:${closed}`,
      DB_PASSWORD: 'x',
      LOG_LEVEL: 'warn',
    };
    const { child, output } = startImage(stage, env);
    await waitForStatus(`http://127.0.0.1:${port}/healthz`, 200, child, output);
    expect(await httpStatus(`http://127.0.0.1:${port}/readyz`)).toBe(503);
    expect(await runHealthcheck(stage.healthcheck, stage, env)).toBe(0);
    await stop(child);
  }, 60_000);
});

describe('db/Dockerfile', () => {
  const df = parseDockerfile('db/Dockerfile');
  const final = finalStage(df);
  const imageEnv = stageEnv(final);
  const patroniYml = repoPath('db/patroni/patroni.yml');
  let etcd: Server | undefined;
  let etcdPort = 0;

  /**
   * Messages of Patroni 3.0.2's own validator that do not describe a problem:
   *  - it still requires the deprecated bootstrap.pg_hba (Patroni 3 uses
   *    postgresql.pg_hba, which patroni.yml sets);
   *  - it requires a rewind user, which is optional (pg_rewind then runs as the superuser);
   *  - a listen port taken on this machine says nothing about the container.
   */
  const TOLERATED = [/^bootstrap\.pg_hba\s+is not defined\.$/, /^postgresql\.authentication\.rewind\s+is not defined\.$/, /Port \d+ is already in use\.$/];

  async function validate(env: Record<string, string>): Promise<{ code: number | null; problems: string[] }> {
    const { code, output } = await runCommand(['patroni', '--validate-config', patroniYml], {
      cwd: scratch,
      env: { ...imageEnv, ...env, PATH: '/usr/lib/postgresql/15/bin:/usr/local/bin:/usr/bin:/bin', HOME: scratch },
      timeoutMs: 30_000,
    });
    const problems = output
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !TOLERATED.some((re) => re.test(l)));
    return { code, problems };
  }

  beforeAll(async () => {
    // Patroni's validator connects to the DCS hosts: stand in for etcd with a listening socket.
    etcd = createServer((_req, res) => res.end());
    await new Promise<void>((resolve) => etcd?.listen(0, '127.0.0.1', resolve));
    const address = etcd.address();
    etcdPort = typeof address === 'object' && address ? address.port : 0;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => (etcd ? etcd.close(() => resolve()) : resolve()));
  });

  it('has Patroni on this machine to validate with (installed by the local stack)', async () => {
    const { code, output } = await runCommand(['patroni', '--version'], { cwd: scratch, env: { PATH: '/usr/local/bin:/usr/bin:/bin' }, timeoutMs: 20_000 }).catch(
      (err: unknown) => ({ code: -1, output: (err as Error).message }),
    );
    expect([code, output.trim()]).toEqual([0, 'patroni 3.0.2']);
  });

  it('patroni --validate-config accepts patroni.yml with the compose environment', async () => {
    const example = Object.fromEntries([...parseEnvExample(readRepoFile(envExampleFile()))].map(([k, e]) => [k, e.value]));
    const compose = interpolateDocument(loadRawCompose(), example) as Record<string, unknown>;
    for (const member of ['db-1', 'db-2']) {
      const env = { ...serviceEnv(service(compose, member)), PATRONI_ETCD3_HOSTS: `127.0.0.1:${etcdPort}` };
      expect(await validate(env)).toEqual({ code: expect.anything(), problems: [] });
    }
  });

  it('patroni --validate-config accepts patroni.yml with the Kubernetes environment', async () => {
    const all = loadManifests();
    const db = workloads(all).find((w) => w.object.kind === 'StatefulSet' && w.object.metadata.name === 'db');
    const container = db?.template.spec?.containers[0];
    if (!container) throw new Error('no db StatefulSet');
    const env = resolveEnv(all, container, { 'metadata.name': 'db-0', 'metadata.namespace': 'barback', 'status.podIP': '10.0.0.10' });
    expect(find(all, 'Namespace', 'barback')).toBeDefined();
    expect(await validate(env)).toEqual({ code: expect.anything(), problems: [] });
  });

  it('patroni --validate-config does catch a broken environment (the check is real)', async () => {
    const { problems } = await validate({
      PATRONI_NAME: 'db-1',
      PATRONI_RESTAPI_CONNECT_ADDRESS: '127.0.0.1:8008',
      PATRONI_POSTGRESQL_CONNECT_ADDRESS: 'db-1:5432',
      PATRONI_ETCD3_HOSTS: `127.0.0.1:${etcdPort}`,
      PATRONI_SUPERUSER_USERNAME: 'postgres',
      PATRONI_SUPERUSER_PASSWORD: 'x',
      PATRONI_REPLICATION_USERNAME: 'replicator',
      PATRONI_REPLICATION_PASSWORD: 'x',
    });
    expect(problems.join('\n')).toMatch(/restapi\.connect_address/);
  });

  it('the HEALTHCHECK passes on the leader or a running replica only', async () => {
    const hc = parseHealthcheck(lastOf(final, 'HEALTHCHECK')?.args ?? '');
    if (!hc) throw new Error('no HEALTHCHECK');
    let answers: Record<string, number> = {};
    const fake = createServer((req, res) => {
      res.statusCode = answers[req.url ?? ''] ?? 404;
      res.end();
    });
    await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
    const address = fake.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const run = async () =>
      (
        await runCommand(hc.argv, {
          cwd: scratch,
          env: { PATH: '/usr/bin:/bin', PATRONI_RESTAPI_LISTEN: `0.0.0.0:${port}` },
          timeoutMs: 20_000,
        })
      ).code;
    try {
      answers = { '/primary': 200, '/replica': 503 };
      expect(await run()).toBe(0);
      answers = { '/primary': 503, '/replica': 200 };
      expect(await run()).toBe(0);
      answers = { '/primary': 503, '/replica': 503 };
      expect(await run()).toBe(1);
    } finally {
      await new Promise<void>((resolve) => fake.close(() => resolve()));
    }
  });
});

describe('messaging/Dockerfile (RabbitMQ)', () => {
  const final = finalStage(parseDockerfile('messaging/Dockerfile'));

  it('the ENTRYPOINT writes RABBITMQ_ERLANG_COOKIE to a 0600 cookie file and the first user to conf.d, then runs CMD', async () => {
    const entrypoint = commandForm(lastOf(final, 'ENTRYPOINT')?.args ?? '[]').argv;
    const cmd = commandForm(lastOf(final, 'CMD')?.args ?? '[]').argv;
    expect(cmd).toEqual(['rabbitmq-server']);
    expect(entrypoint).toEqual(['/bin/sh', '/usr/local/bin/barback-rabbitmq-entrypoint']);
    const home = join(scratch, 'rabbitmq-home');
    const bin = join(scratch, 'rabbitmq-bin');
    const confD = join(scratch, 'rabbitmq-conf.d');
    for (const dir of [home, bin, confD]) mkdirSync(dir, { recursive: true });
    // Stand-in for the server: report what it was given.
    writeFileSync(join(bin, 'rabbitmq-server'), '#!/bin/sh\necho "ran: $(basename "$0") $*"\n');
    chmodSync(join(bin, 'rabbitmq-server'), 0o755);
    // A cookie left by an earlier start, read-only as Erlang writes it.
    writeFileSync(join(home, '.erlang.cookie'), 'OLDCOOKIE');
    chmodSync(join(home, '.erlang.cookie'), 0o400);
    // The script as the image carries it (COPY messaging/rabbitmq/docker-entrypoint.sh).
    const { code, output } = await runCommand(['/bin/sh', repoPath('messaging/rabbitmq/docker-entrypoint.sh'), ...cmd], {
      cwd: home,
      env: {
        PATH: `${bin}:/usr/bin:/bin`,
        HOME: home,
        RABBITMQ_CONFIG_FILES: confD,
        RABBITMQ_ERLANG_COOKIE: 'NEWCOOKIEFROMSECRET',
        RABBITMQ_DEFAULT_USER: 'barback',
        RABBITMQ_DEFAULT_PASS: 'secret1',
      },
      timeoutMs: 20_000,
    });
    expect([code, output.trim()]).toEqual([0, 'ran: rabbitmq-server']);
    expect(readFileSync(join(home, '.erlang.cookie'), 'utf8')).toBe('NEWCOOKIEFROMSECRET');
    expect(statSync(join(home, '.erlang.cookie')).mode & 0o777).toBe(0o600);
    const users = join(confD, '15-default-user.conf');
    expect(readFileSync(users, 'utf8')).toContain('default_user = barback\ndefault_pass = secret1\n');
    expect(statSync(users).mode & 0o777).toBe(0o600);
  });
});
