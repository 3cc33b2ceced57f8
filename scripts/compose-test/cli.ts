/**
 * `npm run test:compose`: starts docker-compose.yml for real and uses it.
 *
 *   engine       Debian's docker.io + docker-compose (installed if missing); dockerd if none runs
 *   base images  local stand-ins for the base images the Dockerfiles name (no registry here)
 *   build        docker-compose build (layer cache kept between runs)
 *   up           docker-compose up -d, then every container healthy
 *   sale         register a venue, create a product, ring a sale through http://127.0.0.1:3000
 *   rabbitmq     three running nodes; barback.requests is a quorum queue on all three
 *   patroni      a leader and a streaming replica
 *   failover     docker kill the leader's container; the replica is promoted; another sale
 *   scale        docker-compose up -d --scale back-end=3; all three workers consume
 *   down         docker-compose down -v: containers, network and volumes removed
 *
 * Compose reads .env.example itself (--env-file), so a developer's .env is
 * neither read nor written. COMPOSE="docker compose" runs Compose v2 instead of
 * Debian's docker-compose 1.29. On failure it prints the state of every
 * container and the logs of the ones that failed.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ApiClient, expectStatus, isLeader, isReplica, LAGER, Management, patroniMembers, ringPint, streamingStandbys, type Product } from './checks.js';
import { ensureEngine, installMissing, type Engine } from './engine.js';
import { log, run, tail, tryRun, waitFor } from './run.js';
import { ensureBaseImages } from './stand-ins.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const ENV_FILE = '.env.example';
/** Every Dockerfile the compose file builds (their base images are what the stand-ins stand in for). */
function composeDockerfiles(): string[] {
  const doc = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, { build?: { dockerfile?: string } }> };
  return [...new Set(Object.values(doc.services).flatMap((svc) => (svc.build?.dockerfile ? [svc.build.dockerfile] : [])))];
}
const WORKERS_AFTER_SCALE = 3;

function envExample(): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of readFileSync(join(ROOT, ENV_FILE), 'utf8').split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m?.[1] && m[2] !== undefined) values.set(m[1], m[2]);
  }
  return values;
}

const env = envExample();
function setting(name: string): string {
  const value = env.get(name);
  if (!value) throw new Error(`${ENV_FILE} has no ${name}`);
  return value;
}
const PROJECT = setting('COMPOSE_PROJECT_NAME');
const FRONT_END = `http://127.0.0.1:${setting('PORT')}`;
const MANAGEMENT = `http://127.0.0.1:${setting('RABBITMQ_MANAGEMENT_PORT')}`;

const composeCommand = (process.env['COMPOSE'] ?? 'docker-compose').split(' ');
const logDir = mkdtempSync(join(tmpdir(), 'barback-compose-test-'));

function compose(args: string[], options: { logFile?: string; timeoutMs?: number } = {}): Promise<string> {
  const [command = 'docker-compose', ...pre] = composeCommand;
  return run(command, [...pre, '--env-file', ENV_FILE, ...args], { cwd: ROOT, quiet: true, ...options });
}

/** Container ids of one service (all of its replicas). */
async function containersOf(service: string): Promise<string[]> {
  return (await compose(['ps', '-q', service])).split('\n').filter(Boolean);
}

/** Every container of the project, running or not. */
async function projectContainers(): Promise<string[]> {
  const out = await run('docker', ['ps', '-aq', '--filter', `label=com.docker.compose.project=${PROJECT}`]);
  return out.split('\n').filter(Boolean);
}

interface ContainerState {
  id: string;
  name: string;
  service: string;
  status: string;
  health: string;
}

async function states(ids: string[]): Promise<ContainerState[]> {
  if (ids.length === 0) return [];
  const format = '{{.Id}}|{{.Name}}|{{index .Config.Labels "com.docker.compose.service"}}|{{.State.Status}}|{{if .State.Health}}{{.State.Health.Status}}{{end}}';
  const out = await run('docker', ['inspect', '--format', format, ...ids]);
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [id = '', name = '', service = '', status = '', health = ''] = line.split('|');
      return { id, name: name.replace(/^\//, ''), service, status, health: health || 'none' };
    });
}

/** Waits until every given container is running and, where it has a healthcheck, healthy. */
async function waitHealthy(ids: () => Promise<string[]>, what: string, timeoutMs: number): Promise<void> {
  await waitFor(what, timeoutMs, async () => {
    const list = await states(await ids());
    const failed = list.find((c) => c.status === 'exited' || c.status === 'dead');
    if (failed) throw new Error(`container ${failed.name} (${failed.service}) has ${failed.status}`);
    const waiting = list.filter((c) => c.status !== 'running' || (c.health !== 'healthy' && c.health !== 'none'));
    if (list.length > 0 && waiting.length === 0) return true;
    throw new Error(`not healthy yet: ${waiting.map((c) => `${c.name} (${c.health})`).join(', ')}`);
  });
}

async function ipOf(id: string): Promise<string> {
  return (await run('docker', ['inspect', '--format', '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}', id])).trim();
}

function portTaken(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

/** On failure: every container's state, and the logs of those that are not running and healthy (else of the apps). */
async function reportContainers(): Promise<void> {
  const list = await states(await projectContainers()).catch(() => []);
  if (list.length === 0) return;
  process.stdout.write('\ncontainers:\n');
  for (const c of list) process.stdout.write(`  ${c.name.padEnd(28)} ${c.status.padEnd(10)} ${c.health}\n`);
  // The broken ones first; else the ones still starting; else the applications.
  const broken = list.filter((c) => c.status !== 'running' || c.health === 'unhealthy');
  const starting = list.filter((c) => c.health === 'starting');
  const failed = broken.length ? broken : starting;
  const shown = failed.length ? failed : list.filter((c) => c.service === 'front-end' || c.service === 'back-end');
  for (const c of shown) {
    const logs = await tryRun('docker', ['logs', '--tail', '60', c.id]);
    process.stdout.write(`\n---- ${failed.length ? 'FAILED: ' : ''}${c.name}: last lines of docker logs ${c.name} ----\n${tail(`${logs.stdout}\n${logs.stderr}`, 60)}\n`);
  }
}

const timings: [string, number][] = [];
async function phase<T>(name: string, body: () => Promise<T>): Promise<T> {
  log(`---- ${name}`);
  const started = Date.now();
  try {
    return await body();
  } finally {
    const seconds = (Date.now() - started) / 1000;
    timings.push([name, seconds]);
    log(`---- ${name}: ${seconds.toFixed(1)} s`);
  }
}

async function main(): Promise<void> {
  log(`project ${PROJECT}, settings from ${ENV_FILE}, compose: ${composeCommand.join(' ')}, logs in ${logDir}`);
  let engine: Engine | undefined;
  const state = { upStarted: false };
  let failed = false;
  const started = Date.now();
  try {
    await phase('engine', async () => {
      await installMissing();
      engine = await ensureEngine(logDir);
      log((await compose(['version'])).split('\n')[0] ?? '');
      const existing = await projectContainers();
      if (existing.length) {
        // A developer's own stack under the same project name: never delete their data, except in CI.
        if (process.env['CI'] !== 'true') throw new Error(`compose project ${PROJECT} already has containers (yours?): run docker-compose down first`);
        log(`CI: removing ${existing.length} containers left by an earlier run`);
        await compose(['down', '-v', '--remove-orphans']);
      }
      if (await portTaken(Number(setting('PORT')))) throw new Error(`port ${setting('PORT')} is in use on 127.0.0.1 (npm start?)`);
    });

    await phase('base images', () => ensureBaseImages(composeDockerfiles().map((f) => join(ROOT, f)), logDir));

    await phase('build', async () => {
      const logFile = join(logDir, 'build.log');
      log(`docker-compose build (output: ${logFile})`);
      await compose(['build'], { logFile });
    });

    await phase('up', async () => {
      state.upStarted = true;
      // up -d itself waits for each service's dependencies to be healthy, in order.
      await compose(['up', '-d'], { logFile: join(logDir, 'up.log') });
      await waitHealthy(projectContainers, 'every container healthy', 5 * 60_000);
      const list = await states(await projectContainers());
      log(`healthy: ${list.map((c) => c.name).join(', ')}`);
    });

    const api = new ApiClient(FRONT_END);
    const product = await phase('sale', async () => {
      const tag = Date.now().toString(36);
      const registered = await api.post('/api/v1/register', {
        venueName: `Compose Test ${tag}`,
        name: 'Compose Owner',
        email: `compose-${tag}@example.ie`,
        password: `correct horse battery ${tag}`,
      });
      expectStatus('POST /api/v1/register', registered, 201);
      const created = await api.post('/api/v1/products', LAGER);
      expectStatus('POST /api/v1/products', created, 201);
      const product = created.body as Product;
      const sale = await ringPint(api, product, randomUUID());
      expectStatus('POST /api/v1/sales', sale, 201);
      log(`registered a venue, created ${LAGER.name}, rang sale ${String(sale.body.id)}`);
      return product;
    });

    const management = new Management(MANAGEMENT, setting('RABBITMQ_USER'), setting('RABBITMQ_PASSWORD'));
    await phase('rabbitmq', async () => {
      const nodes = await waitFor('three running RabbitMQ nodes', 30_000, async () => {
        const running = await management.runningNodes();
        return running.length === 3 ? running : undefined;
      });
      const queue = await management.queue('barback.requests');
      if (queue.type !== 'quorum') throw new Error(`barback.requests is a ${queue.type} queue, not quorum`);
      const members = [...(queue.members ?? [])].sort();
      if (members.join() !== [...nodes].sort().join()) throw new Error(`barback.requests has members ${members.join(', ')}; the nodes are ${nodes.join(', ')}`);
      log(`running nodes: ${nodes.join(', ')}; barback.requests: quorum, leader ${queue.leader}, members on all three`);
    });

    const dbContainers = new Map<string, string>();
    for (const member of ['db-1', 'db-2']) {
      const [id] = await containersOf(member);
      if (!id) throw new Error(`no container for ${member}`);
      dbContainers.set(member, id);
    }
    const db1 = dbContainers.get('db-1') ?? '';
    const leaderName = await phase('patroni', async () => {
      return waitFor('a Patroni leader and a streaming replica', 90_000, async () => {
        const members = await patroniMembers(db1);
        const describe = members.map((m) => `${m.Member}: ${m.Role}, ${m.State}`).join('; ');
        const leader = members.find(isLeader);
        const replica = members.find(isReplica);
        const leaderContainer = leader && dbContainers.get(leader.Member);
        if (!leader || !replica || !leaderContainer) throw new Error(`patronictl list: ${describe}`);
        const standbys = await streamingStandbys(leaderContainer);
        const streaming = standbys.find((s) => s.name === replica.Member && s.state === 'streaming');
        if (!streaming) throw new Error(`pg_stat_replication on ${leader.Member}: ${JSON.stringify(standbys)}`);
        log(`${describe}; ${leader.Member} streams to ${streaming.name} (${streaming.sync})`);
        return leader.Member;
      });
    });

    await phase('failover', async () => {
      const leader = dbContainers.get(leaderName);
      const survivorName = leaderName === 'db-1' ? 'db-2' : 'db-1';
      const survivor = dbContainers.get(survivorName);
      if (!leader || !survivor) throw new Error(`no container for Patroni member ${leaderName}`);
      const killedAt = Date.now();
      await run('docker', ['kill', leader]);
      log(`docker kill ${leaderName} (the leader)`);
      await waitFor(`${survivorName} promoted`, 90_000, async () => {
        const list = await patroniMembers(survivor);
        return list.some((m) => m.Member === survivorName && isLeader(m)) ? true : undefined;
      });
      log(`${survivorName} is the leader ${((Date.now() - killedAt) / 1000).toFixed(1)} s after the kill`);
      // One idempotency key for every try: however many tries it takes, it rings once.
      const key = randomUUID();
      const sale = await waitFor('a sale after the failover', 90_000, async () => {
        const res = await ringPint(api, product, key);
        if (res.status !== 201) throw new Error(`HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
        return res.body;
      });
      log(`rang sale ${String(sale.id)} on the new primary ${((Date.now() - killedAt) / 1000).toFixed(1)} s after the kill`);
    });

    await phase('scale', async () => {
      // --no-recreate: the killed database container stays as it is.
      await compose(['up', '-d', '--no-recreate', '--scale', `back-end=${WORKERS_AFTER_SCALE}`], { logFile: join(logDir, 'scale.log') });
      const workers = await waitFor(`${WORKERS_AFTER_SCALE} back-end containers`, 60_000, async () => {
        const ids = await containersOf('back-end');
        return ids.length === WORKERS_AFTER_SCALE ? ids : undefined;
      });
      await waitHealthy(() => containersOf('back-end'), `${WORKERS_AFTER_SCALE} healthy workers`, 3 * 60_000);
      const ips = await Promise.all(workers.map(ipOf));
      await waitFor(`all ${WORKERS_AFTER_SCALE} workers consuming barback.requests`, 60_000, async () => {
        const hosts = new Set(await management.consumerHosts('barback.requests'));
        const missing = ips.filter((ip) => !hosts.has(ip));
        if (missing.length) throw new Error(`no consumer from ${missing.join(', ')}`);
        return true;
      });
      log(`${WORKERS_AFTER_SCALE} workers (${ips.join(', ')}) each consume barback.requests`);
    });
  } catch (err) {
    failed = true;
    process.stdout.write(`\nFAILED: ${err instanceof Error ? err.message : String(err)}\n`);
    if (state.upStarted) await reportContainers();
    process.stdout.write(`\nlogs of this run: ${logDir}\n`);
  } finally {
    try {
      if (state.upStarted) {
        await phase('down', async () => {
          await compose(['down', '-v', '--remove-orphans'], { logFile: join(logDir, 'down.log') });
          const left = await projectContainers();
          const volumes = (await run('docker', ['volume', 'ls', '-q', '--filter', `label=com.docker.compose.project=${PROJECT}`])).trim();
          const networks = (await run('docker', ['network', 'ls', '-q', '--filter', `label=com.docker.compose.project=${PROJECT}`])).trim();
          if (left.length || volumes || networks) throw new Error(`left behind: containers ${left.join(' ')} volumes ${volumes} networks ${networks}`);
          log('containers, network and volumes removed (the images stay, as the build cache)');
        });
      }
    } catch (err) {
      failed = true;
      process.stdout.write(`FAILED to clean up: ${err instanceof Error ? err.message : String(err)}\n`);
    }
    await engine?.stop();
  }
  process.stdout.write('\nphase times:\n');
  for (const [name, seconds] of timings) process.stdout.write(`  ${name.padEnd(12)} ${seconds.toFixed(1).padStart(7)} s\n`);
  process.stdout.write(`  ${'total'.padEnd(12)} ${((Date.now() - started) / 1000).toFixed(1).padStart(7)} s\n`);
  // Its own logs stay only when they are needed.
  if (!failed) rmSync(logDir, { recursive: true, force: true });
  process.stdout.write(failed ? `\ntest:compose FAILED (logs: ${logDir})\n` : '\ntest:compose passed\n');
  process.exitCode = failed ? 1 : 0;
}

await main();
