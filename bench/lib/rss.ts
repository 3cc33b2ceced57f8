/**
 * Peak resident memory of the processes under load. Each run resets the
 * kernel's high-water mark (`echo 5 > /proc/<pid>/clear_refs`) so VmHWM is the
 * peak of that run alone, and also polls VmRSS every 100 ms in case the reset
 * is not allowed; the larger of the two trustworthy figures is reported.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseStatusMb } from './stats.js';

function status(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
}

export class RssSampler {
  private readonly peaks = new Map<number, number>();
  private readonly hwmReset = new Set<number>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly pids: number[]) {}

  start(): void {
    for (const pid of this.pids) {
      try {
        writeFileSync(`/proc/${pid}/clear_refs`, '5');
        this.hwmReset.add(pid);
      } catch {
        /* not allowed: polling alone */
      }
    }
    this.sample();
    this.timer = setInterval(() => this.sample(), 100);
  }

  private sample(): void {
    for (const pid of this.pids) {
      const s = status(pid);
      const rss = s ? parseStatusMb(s, 'VmRSS') : null;
      if (rss !== null) this.peaks.set(pid, Math.max(this.peaks.get(pid) ?? 0, rss));
    }
  }

  /** Stops sampling; peak MB per pid (null for a pid that was never seen). */
  stop(): Map<number, number | null> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.sample();
    const out = new Map<number, number | null>();
    for (const pid of this.pids) {
      let peak = this.peaks.get(pid) ?? null;
      if (this.hwmReset.has(pid)) {
        const s = status(pid);
        const hwm = s ? parseStatusMb(s, 'VmHWM') : null;
        if (hwm !== null) peak = Math.max(peak ?? 0, hwm);
      }
      out.set(pid, peak);
    }
    return out;
  }
}
