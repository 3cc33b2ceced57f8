/**
 * The Docker engine for `npm run test:compose`: Debian's docker.io and
 * docker-compose (installed when missing), and a dockerd started when none
 * answers and stopped again at the end (one already running is left alone).
 * A dockerd started here is a child of this process: it is stopped at the end
 * whatever happened, so no engine outlives the run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CHILD_ENV, run, tryRun, sleep, log } from './run.js';

/** Debian 12's packages: Engine 20.10 with BuildKit built in, Compose 1.29.2, debootstrap for the base stand-in. */
const PACKAGES: Record<string, string> = { dockerd: 'docker.io', 'docker-compose': 'docker-compose', debootstrap: 'debootstrap' };

export async function installMissing(): Promise<void> {
  const missing: string[] = [];
  for (const [command, pkg] of Object.entries(PACKAGES)) {
    if ((await tryRun('sh', ['-c', `command -v ${command}`])).code !== 0) missing.push(pkg);
  }
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`missing Debian packages; run first: sudo apt-get install -y --no-install-recommends ${missing.join(' ')}`);
  }
  log(`installing ${missing.join(', ')} from Debian's packages`);
  await run('apt-get', ['update'], { quiet: true });
  await run('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { quiet: true, env: { DEBIAN_FRONTEND: 'noninteractive' } });
}

export interface Engine {
  /** Stops dockerd if this run started it. */
  stop(): Promise<void>;
}

async function engineAnswers(): Promise<boolean> {
  return (await tryRun('docker', ['version', '--format', '{{.Server.Version}}'])).code === 0;
}

/**
 * overlay2 where the kernel can mount overlayfs on the filesystem of
 * /var/lib/docker, else vfs, which works anywhere (inside another container too)
 * but copies the whole filesystem for every layer: on the (loaded) 2-core CI
 * machine even a one-file COPY took 10-15 s with vfs, and /var/lib/docker held
 * 17 GB before the first Node image was half built.
 * COMPOSE_TEST_STORAGE_DRIVER chooses one. The layer cache in /var/lib/docker
 * stays between runs on the same machine (per driver).
 */
async function storageDriver(): Promise<string> {
  const chosen = process.env['COMPOSE_TEST_STORAGE_DRIVER'];
  if (chosen) return chosen;
  mkdirSync('/var/lib/docker', { recursive: true });
  const probe = mkdtempSync('/var/lib/docker/overlay-probe-');
  try {
    for (const dir of ['lower', 'upper', 'work', 'merged']) mkdirSync(join(probe, dir));
    const options = `lowerdir=${probe}/lower,upperdir=${probe}/upper,workdir=${probe}/work`;
    const mounted = await tryRun('mount', ['-t', 'overlay', 'overlay', '-o', options, join(probe, 'merged')]);
    if (mounted.code !== 0) return 'vfs';
    await tryRun('umount', [join(probe, 'merged')]);
    return 'overlay2';
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

export async function ensureEngine(logDir: string): Promise<Engine> {
  if (await engineAnswers()) {
    log('using the Docker engine already running (left running at the end)');
    return { stop: async () => {} };
  }
  const driver = await storageDriver();
  const logFile = join(logDir, 'dockerd.log');
  const out = openSync(logFile, 'a');
  // Where the package put it (Debian: /usr/sbin; Docker's own packages: /usr/bin).
  const binary = (await run('sh', ['-c', 'command -v dockerd'])).trim();
  const dockerd: ChildProcess = spawn(binary, [`--storage-driver=${driver}`], { stdio: ['ignore', out, out], env: CHILD_ENV });
  closeSync(out);
  const exited = () => dockerd.exitCode !== null || dockerd.signalCode !== null;
  for (let i = 0; i < 120 && !exited(); i += 1) {
    if (await engineAnswers()) break;
    await sleep(500);
  }
  if (exited() || !(await engineAnswers())) throw new Error(`dockerd did not start: see ${logFile}`);
  log(`started dockerd --storage-driver=${driver} (pid ${dockerd.pid}; log ${logFile}); it stops at the end`);
  return {
    stop: async () => {
      if (exited()) return;
      dockerd.kill('SIGTERM');
      for (let i = 0; i < 60 && !exited(); i += 1) await sleep(500);
      if (!exited()) dockerd.kill('SIGKILL');
      log('stopped the dockerd this run started');
    },
  };
}
