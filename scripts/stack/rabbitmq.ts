/**
 * Three RabbitMQ nodes (rmq1..3) on one host forming one cluster through
 * classic_config peer discovery. Shared settings come from messaging/rabbitmq;
 * the per-node snippets are rendered here.
 */
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PortPlan } from './ports.js';
import {
  rabbitClusterTemplateFile,
  rabbitEnabledPluginsFile,
  rabbitSharedConfDir,
  type StackPaths,
} from './paths.js';
import type { ServiceSpec } from './proc.js';
import { NAMES, type StackSecrets } from './secrets.js';
import { ensureDir, httpJson, httpRequest, isRoot, tcpReachable, waitFor, type RunAs } from './system.js';

export const RABBIT_BIN_DIR = '/usr/lib/rabbitmq/bin';

/** Keeps three Erlang VMs cheap on a 2-core machine; Erlang distribution on loopback only. */
export const RABBIT_ERL_ARGS = '+S 1:1 +sbwt none +sbwtdcpu none +sbwtdio none -kernel inet_dist_use_interface {127,0,0,1}';

/**
 * Erlang schedulers left to the OS instead of RabbitMQ's default of pinning
 * scheduler n to core n: with several nodes on one host (this stack, compose,
 * Kubernetes pods sharing a node), every node pins its first scheduler to core
 * 0, so they queue there while other cores idle. Measured on the 2-core machine
 * under load: about a quarter less broker CPU per request/reply through the
 * quorum queue (1.56 against 1.16 ms). messaging/Dockerfile sets the same.
 */
export const RABBIT_SCHEDULER_BIND_TYPE = 'u';

export interface RabbitNode {
  /** 1-based index. */
  index: number;
  /** Short name of the stack process: rmq1, rmq2, rmq3. */
  name: string;
  /** Erlang node name, e.g. bb21000-1@localhost. */
  node: string;
  amqpPort: number;
  managementPort: number;
  distPort: number;
  nodeDir: string;
}

export function rabbitNodeName(base: number, index: number): string {
  return `bb${base}-${index}@localhost`;
}

export function rabbitNodes(paths: StackPaths, plan: PortPlan): RabbitNode[] {
  return plan.amqp.map((amqpPort, i) => {
    const index = i + 1;
    const managementPort = plan.management[i];
    const distPort = plan.erlangDist[i];
    if (managementPort === undefined || distPort === undefined) throw new Error(`incomplete port plan for RabbitMQ node ${index}`);
    return {
      index,
      name: `rmq${index}`,
      node: rabbitNodeName(plan.base, index),
      amqpPort,
      managementPort,
      distPort,
      nodeDir: join(paths.rabbitDir, `rmq${index}`),
    };
  });
}

/**
 * Renders the cluster-formation template: lines holding ${INDEX} or ${NODE}
 * are repeated for every node (1-based index), other lines are kept as they are.
 */
export function renderClusterConf(template: string, nodeNames: readonly string[]): string {
  const out: string[] = [];
  for (const line of template.split('\n')) {
    if (line.includes('${INDEX}') || line.includes('${NODE}')) {
      nodeNames.forEach((node, i) => out.push(line.split('${INDEX}').join(String(i + 1)).split('${NODE}').join(node)));
    } else {
      out.push(line);
    }
  }
  return out.join('\n');
}

/** Node-specific settings of the local stack: listeners on loopback and this node's ports. */
export function renderNodeConf(node: Pick<RabbitNode, 'amqpPort' | 'managementPort'>, ip = '127.0.0.1'): string {
  return [
    '## Rendered by scripts/stack (local stack); do not edit.',
    `listeners.tcp.default = ${ip}:${node.amqpPort}`,
    `management.tcp.ip = ${ip}`,
    `management.tcp.port = ${node.managementPort}`,
    '',
  ].join('\n');
}

export function amqpUrl(node: RabbitNode, secrets: StackSecrets): string {
  return `amqp://${NAMES.rabbitUser}:${encodeURIComponent(secrets.rabbitmqPassword)}@127.0.0.1:${node.amqpPort}`;
}

export function managementUrl(node: RabbitNode, secrets: StackSecrets): string {
  return `http://${NAMES.rabbitUser}:${encodeURIComponent(secrets.rabbitmqPassword)}@127.0.0.1:${node.managementPort}/`;
}

function baseUrl(node: RabbitNode): string {
  return `http://127.0.0.1:${node.managementPort}`;
}

export function rabbitEnv(node: RabbitNode, paths: StackPaths, baseEnv: Record<string, string>): Record<string, string> {
  return {
    ...baseEnv,
    PATH: `${RABBIT_BIN_DIR}:/usr/local/bin:/usr/bin:/bin`,
    HOME: paths.rabbitHome,
    ERL_EPMD_ADDRESS: '127.0.0.1',
    RABBITMQ_NODENAME: node.node,
    RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
    RABBITMQ_NODE_PORT: String(node.amqpPort),
    RABBITMQ_DIST_PORT: String(node.distPort),
    RABBITMQ_MNESIA_BASE: join(node.nodeDir, 'mnesia'),
    RABBITMQ_LOG_BASE: join(node.nodeDir, 'log'),
    // Only our files: nothing from /etc/rabbitmq.
    RABBITMQ_CONFIG_FILE: join(node.nodeDir, 'rabbitmq'),
    RABBITMQ_CONFIG_FILES: join(node.nodeDir, 'conf.d'),
    RABBITMQ_ADVANCED_CONFIG_FILE: join(node.nodeDir, 'advanced.config'),
    RABBITMQ_CONF_ENV_FILE: join(node.nodeDir, 'rabbitmq-env.conf'),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(node.nodeDir, 'enabled_plugins'),
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: RABBIT_ERL_ARGS,
    RABBITMQ_SCHEDULER_BIND_TYPE: RABBIT_SCHEDULER_BIND_TYPE,
  };
}

export function rabbitSpec(
  node: RabbitNode,
  paths: StackPaths,
  runAs: RunAs | undefined,
  baseEnv: Record<string, string>,
): ServiceSpec {
  return {
    name: node.name,
    kind: 'rabbitmq',
    command: join(RABBIT_BIN_DIR, 'rabbitmq-server'),
    args: [],
    env: rabbitEnv(node, paths, baseEnv),
    cwd: node.nodeDir,
    runAs,
    logFile: join(paths.logDir, `${node.name}.log`),
    cmdMarker: 'rabbitmq-server',
  };
}

/** True when the node has never booted (no Mnesia directory yet). */
export function isFreshNode(node: RabbitNode): boolean {
  return !existsSync(join(node.nodeDir, 'mnesia', node.node));
}

function writeOwned(file: string, content: string, mode: number, owner: RunAs | undefined): void {
  if (existsSync(file)) chmodSync(file, 0o600);
  writeFileSync(file, content, { mode });
  chmodSync(file, mode);
  if (owner && isRoot()) chownSync(file, owner.uid, owner.gid);
}

/** Cookie HOME, per-node directories and configuration files. */
export function prepareRabbit(paths: StackPaths, nodes: RabbitNode[], secrets: StackSecrets, runAs: RunAs | undefined): void {
  ensureDir(paths.rabbitDir, 0o755);
  ensureDir(paths.rabbitHome, 0o700, runAs);
  const cookieFile = join(paths.rabbitHome, '.erlang.cookie');
  const current = existsSync(cookieFile) ? readFileSync(cookieFile, 'utf8') : undefined;
  if (current !== secrets.erlangCookie) writeOwned(cookieFile, secrets.erlangCookie, 0o400, runAs);

  const template = readFileSync(rabbitClusterTemplateFile, 'utf8');
  const clusterConf = renderClusterConf(template, nodes.map((n) => n.node));
  const shared = readdirSync(rabbitSharedConfDir).filter((f) => f.endsWith('.conf'));
  for (const node of nodes) {
    ensureDir(node.nodeDir, 0o750, runAs);
    ensureDir(join(node.nodeDir, 'mnesia'), 0o750, runAs);
    ensureDir(join(node.nodeDir, 'log'), 0o750, runAs);
    const confDir = join(node.nodeDir, 'conf.d');
    ensureDir(confDir, 0o755, runAs);
    const wanted = new Set([...shared, '20-cluster.conf', '30-node.conf']);
    for (const f of readdirSync(confDir)) if (!wanted.has(f)) rmSync(join(confDir, f), { force: true });
    for (const f of shared) {
      const dest = join(confDir, f);
      copyFileSync(join(rabbitSharedConfDir, f), dest);
      chmodSync(dest, 0o644);
    }
    writeOwned(join(confDir, '20-cluster.conf'), clusterConf, 0o644, runAs);
    writeOwned(join(confDir, '30-node.conf'), renderNodeConf(node), 0o644, runAs);
    const plugins = join(node.nodeDir, 'enabled_plugins');
    copyFileSync(rabbitEnabledPluginsFile, plugins);
    chmodSync(plugins, 0o644);
    if (runAs && isRoot()) chownSync(plugins, runAs.uid, runAs.gid);
  }
}

/** A node is up once its management listener answers and its AMQP listener accepts connections. */
export async function rabbitNodeUp(node: RabbitNode): Promise<boolean> {
  if (!(await tcpReachable(node.amqpPort))) return false;
  try {
    const r = await httpRequest(`${baseUrl(node)}/`, { timeoutMs: 2000 });
    return r.status === 200;
  } catch {
    return false;
  }
}

export async function waitRabbitNodeUp(node: RabbitNode, timeoutMs: number, abort?: () => string | undefined): Promise<void> {
  await waitFor(`RabbitMQ node ${node.node}`, async () => rabbitNodeUp(node), {
    timeoutMs,
    intervalMs: 500,
    ...(abort ? { abort } : {}),
  });
}

export interface Credentials {
  username: string;
  password: string;
}

export function appCredentials(secrets: StackSecrets): Credentials {
  return { username: NAMES.rabbitUser, password: secrets.rabbitmqPassword };
}

async function whoami(node: RabbitNode, auth: Credentials): Promise<number> {
  try {
    return (await httpRequest(`${baseUrl(node)}/api/whoami`, { auth, timeoutMs: 5000 })).status;
  } catch {
    return 0;
  }
}

/**
 * Creates the application user (administrator, full permissions on "/") when
 * it does not work yet, then deletes guest. Uses the management API as guest
 * (allowed from loopback), or rabbitmqctl when guest is gone already.
 */
export async function ensureAppUser(
  node: RabbitNode,
  secrets: StackSecrets,
  ctl: (args: string[], stdin?: string) => Promise<string>,
): Promise<'exists' | 'created'> {
  const app = appCredentials(secrets);
  if ((await whoami(node, app)) === 200) return 'exists';
  const guest = { username: 'guest', password: 'guest' };
  const api = baseUrl(node);
  const user = encodeURIComponent(app.username);
  if ((await whoami(node, guest)) === 200) {
    const steps: [string, string, unknown][] = [
      ['PUT', `${api}/api/users/${user}`, { password: app.password, tags: 'administrator' }],
      ['PUT', `${api}/api/permissions/%2F/${user}`, { configure: '.*', write: '.*', read: '.*' }],
    ];
    for (const [method, url, json] of steps) {
      const r = await httpRequest(url, { method, auth: guest, json, timeoutMs: 10_000 });
      if (r.status >= 300) throw new Error(`RabbitMQ management API ${method} ${url.replace(api, '')} answered ${r.status}: ${r.body}`);
    }
  } else {
    await ctl(['add_user', app.username], `${app.password}\n`).catch(async (err: unknown) => {
      // exists with another password: reset it
      if (!(err instanceof Error) || !/already exists/i.test(err.message)) throw err;
      await ctl(['change_password', app.username], `${app.password}\n`);
    });
    await ctl(['set_user_tags', app.username, 'administrator']);
    await ctl(['set_permissions', '-p', '/', app.username, '.*', '.*', '.*']);
  }
  if ((await whoami(node, app)) !== 200) throw new Error(`RabbitMQ user ${app.username} was created but cannot log in`);
  const del = await httpRequest(`${api}/api/users/guest`, { method: 'DELETE', auth: app, timeoutMs: 10_000 });
  if (del.status >= 300 && del.status !== 404) throw new Error(`cannot delete RabbitMQ user guest: ${del.status} ${del.body}`);
  return 'created';
}

export interface RabbitApiNode {
  name: string;
  running: boolean;
}

export async function clusterNodes(node: RabbitNode, auth: Credentials): Promise<RabbitApiNode[]> {
  const r = await httpJson<RabbitApiNode[]>(`${baseUrl(node)}/api/nodes?columns=name,running`, { auth, timeoutMs: 5000 });
  if (r.status !== 200 || !Array.isArray(r.data)) throw new Error(`GET /api/nodes on ${node.node} answered ${r.status}`);
  return r.data;
}

/** Resolves once every node of `nodes` reports the same cluster of `nodes.length` running members. */
export async function waitRabbitCluster(
  nodes: RabbitNode[],
  auth: Credentials,
  timeoutMs: number,
  abort?: () => string | undefined,
): Promise<string[]> {
  const expected = nodes.map((n) => n.node).sort();
  return waitFor(
    `a RabbitMQ cluster of ${expected.length} running nodes`,
    async () => {
      for (const n of nodes) {
        const seen = (await clusterNodes(n, auth)).filter((x) => x.running).map((x) => x.name).sort();
        if (seen.join(',') !== expected.join(',')) {
          throw new Error(`${n.node} sees running nodes [${seen.join(', ')}]`);
        }
      }
      return expected;
    },
    { timeoutMs, intervalMs: 1000, ...(abort ? { abort } : {}) },
  );
}

/** Runs rabbitmqctl against `node` (as the rabbitmq user when we are root); resolves with stdout. */
export function runRabbitmqctl(
  node: RabbitNode,
  paths: StackPaths,
  runAs: RunAs | undefined,
  args: string[],
  opts: { stdin?: string; timeoutMs?: number } = {},
): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(join(RABBIT_BIN_DIR, 'rabbitmqctl'), ['-n', node.node, ...args], {
      cwd: paths.rabbitHome,
      env: { PATH: `${RABBIT_BIN_DIR}:/usr/bin:/bin`, HOME: paths.rabbitHome, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' },
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}),
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolvePromise(out);
      else reject(new Error(`rabbitmqctl ${args[0] ?? ''} on ${node.node} exited ${String(code)}: ${(err || out).trim()}`));
    });
    child.stdin.end(opts.stdin ?? '');
  });
}
