/**
 * CPU time each part of the system spent on a run, from /proc: where the
 * broker hop's price is paid (front end, workers, RabbitMQ, PostgreSQL), and
 * what the load generator itself took from the same two cores. Processes are
 * found from the stack's pid records: RabbitMQ nodes by process group,
 * PostgreSQL as the descendants of each Patroni member.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { readAllPidRecords } from '../../scripts/stack/proc.js';

interface ProcEntry {
  pid: number;
  ppid: number;
  pgrp: number;
  ticks: number;
}

function readProcs(): Map<number, ProcEntry> {
  const out = new Map<number, ProcEntry>();
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return out;
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(name), { pid: Number(name), ppid: Number(f[1]), pgrp: Number(f[2]), ticks: Number(f[11]) + Number(f[12]) });
    } catch {
      /* gone meanwhile */
    }
  }
  return out;
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/** `roots` and all their descendants. */
export function descendants(procs: Map<number, { ppid: number }>, roots: number[]): Set<number> {
  const children = new Map<number, number[]>();
  for (const [pid, p] of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), pid]);
  const out = new Set<number>();
  const stack = roots.filter((r) => procs.has(r));
  for (let pid = stack.pop(); pid !== undefined; pid = stack.pop()) {
    if (out.has(pid)) continue;
    out.add(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** `postgres`: the primary (and both Patroni agents); `pgStandby`: the standby's postgres. */
export type CpuPart = 'frontEnd' | 'workers' | 'direct' | 'broker' | 'postgres' | 'pgStandby' | 'loadGenerator';

export interface CpuRoots {
  frontEnd: number | null;
  workers: number[];
  direct: number | null;
  loadGenerator: number | null;
  /** Patroni member name of the standby (pg1/pg2), when known. */
  standbyMember: string | null;
}

const TICK_MS = 10; // USER_HZ = 100

export class CpuMeter {
  private start = new Map<number, number>();

  constructor(
    private readonly pidDir: string,
    private readonly postgresDir: string,
    private readonly roots: () => CpuRoots,
  ) {}

  private classify(procs: Map<number, ProcEntry>): Map<number, CpuPart> {
    const records = readAllPidRecords(this.pidDir);
    const roots = this.roots();
    const parts = new Map<number, CpuPart>();
    const mark = (pids: Iterable<number>, part: CpuPart): void => {
      for (const pid of pids) if (!parts.has(pid)) parts.set(pid, part);
    };
    const rabbitGroups = new Set(records.filter((r) => r.kind === 'rabbitmq').map((r) => r.pid));
    mark(
      descendants(procs, [...procs.values()].filter((p) => rabbitGroups.has(p.pgrp)).map((p) => p.pid)),
      'broker',
    );
    // Patroni daemonises postgres (its parent is init): find each postmaster by its data dir,
    // and tell the standby (replaying the primary's WAL, serving reads) from the primary.
    const postmasters = [...procs.values()].filter((p) => p.ppid === 1 && cmdline(p.pid).includes(`${this.postgresDir}/`));
    const isStandby = (pid: number): boolean =>
      roots.standbyMember !== null && cmdline(pid).includes(`${this.postgresDir}/${roots.standbyMember}/`);
    mark(descendants(procs, postmasters.filter((p) => isStandby(p.pid)).map((p) => p.pid)), 'pgStandby');
    mark(descendants(procs, [...records.filter((r) => r.kind === 'patroni').map((r) => r.pid), ...postmasters.map((p) => p.pid)]), 'postgres');
    if (roots.frontEnd !== null) mark(descendants(procs, [roots.frontEnd]), 'frontEnd');
    mark(descendants(procs, roots.workers), 'workers');
    if (roots.direct !== null) mark(descendants(procs, [roots.direct]), 'direct');
    if (roots.loadGenerator !== null) mark(descendants(procs, [roots.loadGenerator]), 'loadGenerator');
    return parts;
  }

  begin(): void {
    this.start = new Map([...readProcs()].map(([pid, p]) => [pid, p.ticks]));
  }

  /** CPU milliseconds per part since begin() (processes that exited meanwhile are not counted). */
  end(): Record<CpuPart, number> {
    const procs = readProcs();
    const parts = this.classify(procs);
    const out: Record<CpuPart, number> = { frontEnd: 0, workers: 0, direct: 0, broker: 0, postgres: 0, pgStandby: 0, loadGenerator: 0 };
    for (const [pid, part] of parts) {
      const p = procs.get(pid);
      if (!p) continue;
      out[part] += (p.ticks - (this.start.get(pid) ?? 0)) * TICK_MS;
    }
    return out;
  }
}
