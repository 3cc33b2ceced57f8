/** etcd: the DCS of the Patroni cluster (one member, loopback only). */
import { join } from 'node:path';
import type { PortPlan } from './ports.js';
import type { StackPaths } from './paths.js';
import type { ServiceSpec } from './proc.js';
import { ensureDir, httpJson, waitFor } from './system.js';

export const ETCD_NAME = 'etcd';

export function etcdClientUrl(plan: PortPlan): string {
  return `http://127.0.0.1:${plan.etcdClient}`;
}

export function etcdSpec(paths: StackPaths, plan: PortPlan, baseEnv: Record<string, string>): ServiceSpec {
  const client = etcdClientUrl(plan);
  const peer = `http://127.0.0.1:${plan.etcdPeer}`;
  return {
    name: ETCD_NAME,
    kind: 'etcd',
    command: 'etcd',
    args: [
      '--name', ETCD_NAME,
      '--data-dir', join(paths.etcdDir, 'data'),
      '--listen-client-urls', client,
      '--advertise-client-urls', client,
      '--listen-peer-urls', peer,
      '--initial-advertise-peer-urls', peer,
      '--initial-cluster', `${ETCD_NAME}=${peer}`,
      '--initial-cluster-state', 'new',
      '--initial-cluster-token', `barback-${plan.base}`,
      '--auto-compaction-mode', 'periodic',
      '--auto-compaction-retention', '1h',
      '--quota-backend-bytes', String(256 * 1024 * 1024),
      '--logger', 'zap',
      '--log-level', 'warn',
    ],
    env: { ...baseEnv },
    cwd: paths.etcdDir,
    logFile: join(paths.logDir, 'etcd.log'),
    cmdMarker: 'etcd',
  };
}

export function prepareEtcd(paths: StackPaths): void {
  ensureDir(paths.etcdDir, 0o700);
}

/** Resolves once etcd's /health says healthy. */
export async function waitEtcdReady(plan: PortPlan, timeoutMs: number, abort?: () => string | undefined): Promise<void> {
  await waitFor(
    'etcd to become healthy',
    async () => {
      const r = await httpJson<{ health?: string }>(`${etcdClientUrl(plan)}/health`, { timeoutMs: 2000 });
      return r.status === 200 && r.data?.health === 'true';
    },
    { timeoutMs, intervalMs: 200, ...(abort ? { abort } : {}) },
  );
}
