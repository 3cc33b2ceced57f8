/**
 * Where the local stack keeps its data, logs and run state.
 *
 *   <dataDir>/secrets.json            generated passwords (0600)
 *   <dataDir>/etcd/                   etcd data
 *   <dataDir>/postgres/pg1, pg2       Patroni members (PGDATA in ./data)
 *   <dataDir>/rabbitmq/home           HOME with the shared Erlang cookie
 *   <dataDir>/rabbitmq/rmq1..3        RabbitMQ nodes (conf.d, mnesia, ...)
 *   <dataDir>/logs/                   one log file per process
 *   <dataDir>/run/                    state.json and one pid record per process
 */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of the repository root (no trailing slash). */
export const repoRoot: string = resolve(fileURLToPath(new URL('../../', import.meta.url)));

export const patroniConfigFile = join(repoRoot, 'db', 'patroni', 'patroni.yml');
export const postBootstrapScript = join(repoRoot, 'db', 'patroni', 'post-bootstrap.sh');
export const rabbitConfigDir = join(repoRoot, 'messaging', 'rabbitmq');
export const rabbitSharedConfDir = join(rabbitConfigDir, 'conf.d');
export const rabbitEnabledPluginsFile = join(rabbitConfigDir, 'enabled_plugins');
export const rabbitClusterTemplateFile = join(rabbitConfigDir, 'cluster-formation.conf.template');
export const workerEntrypoint = join(repoRoot, 'back-end', 'dist', 'server.js');
export const frontEndEntrypoint = join(repoRoot, 'front-end', 'dist', 'server.js');

export interface StackPaths {
  dataDir: string;
  secretsFile: string;
  etcdDir: string;
  postgresDir: string;
  rabbitDir: string;
  rabbitHome: string;
  logDir: string;
  runDir: string;
  pidDir: string;
  stateFile: string;
  /** Name of the Patroni member that was primary when the stack was last stopped. */
  lastPrimaryFile: string;
}

/** Default data dir of the dev stack: STACK_DATA_DIR or <repo>/.stack. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env['STACK_DATA_DIR'];
  return fromEnv && fromEnv.trim() !== '' ? resolve(fromEnv) : join(repoRoot, '.stack');
}

export function stackPaths(dataDir: string): StackPaths {
  const root = resolve(dataDir);
  const runDir = join(root, 'run');
  return {
    dataDir: root,
    secretsFile: join(root, 'secrets.json'),
    etcdDir: join(root, 'etcd'),
    postgresDir: join(root, 'postgres'),
    rabbitDir: join(root, 'rabbitmq'),
    rabbitHome: join(root, 'rabbitmq', 'home'),
    logDir: join(root, 'logs'),
    runDir,
    pidDir: join(runDir, 'pids'),
    stateFile: join(runDir, 'state.json'),
    lastPrimaryFile: join(root, 'postgres', 'last-primary'),
  };
}
