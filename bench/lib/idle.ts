/**
 * Waits between runs until the previous run's backlog is gone: requests a
 * closed connection left in the broker, in a worker or behind argon2 in the
 * front end would otherwise be measured against the next run.
 */
import { readFileSync } from 'node:fs';
import type { DbCluster } from '@barback/db';
import { sleep } from '../../scripts/stack/system.js';

/** utime + stime of a process in clock ticks, or null when it is gone. */
export function cpuTicks(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null;
  }
}

/** Application backends busy on the primary (other than ours). */
async function busyBackends(db: DbCluster): Promise<number> {
  const pool = await db.primary();
  const { rows } = await pool.query<{ n: string }>(
    `SELECT count(*) AS n FROM pg_stat_activity
      WHERE datname = current_database() AND application_name = 'barback' AND pid <> pg_backend_pid()
        AND state IN ('active', 'idle in transaction')`,
  );
  return Number(rows[0]?.n ?? 0);
}

/**
 * Resolves once, for two windows of 300 ms in a row, no application backend is
 * busy on the primary and none of `pids` used more than 5% of a CPU; gives up
 * (resolving false) after `timeoutMs`.
 */
export async function waitIdle(db: DbCluster, pids: number[], timeoutMs = 60_000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  let quiet = 0;
  const windowMs = 300;
  const tickMs = 10; // USER_HZ is 100 on Linux
  while (Date.now() < until) {
    const before = pids.map(cpuTicks);
    await sleep(windowMs);
    const after = pids.map(cpuTicks);
    const cpuBusy = after.some((a, i) => {
      const b = before[i];
      return a !== null && b != null && ((a - b) * tickMs) / windowMs > 0.05;
    });
    const dbBusy = (await busyBackends(db).catch(() => 0)) > 0;
    quiet = cpuBusy || dbBusy ? 0 : quiet + 1;
    if (quiet >= 2) return true;
  }
  return false;
}
