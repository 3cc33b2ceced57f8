/**
 * The Dockerfiles, read statically: pinned bases, non-root users,
 * healthchecks, COPY sources present in the build context (after
 * .dockerignore), and agreement with the shared configuration files.
 * images.test.ts goes further and replays the builds.
 */
import { describe, expect, it } from '@jest/globals';
import {
  DockerIgnore,
  finalStage,
  isPinned,
  lastOf,
  parseCopy,
  parseDockerfile,
  parseHealthcheck,
  splitImage,
  stageEnv,
  commandForm,
  type Dockerfile,
} from './lib/dockerfile.js';
import { NODE_FLAGS } from '../../scripts/stack/processes.js';
import { RABBIT_SCHEDULER_BIND_TYPE } from '../../scripts/stack/rabbitmq.js';
import { parseRabbitConf } from './lib/rabbitmq-conf.js';
import { parseYaml, readRepoFile, repoPath } from './lib/repo.js';
import { existsSync, statSync } from 'node:fs';

const DOCKERFILES = ['front-end/Dockerfile', 'back-end/Dockerfile', 'db/Dockerfile', 'db/etcd/Dockerfile', 'messaging/Dockerfile'];
const NODE_APPS: Record<string, string> = { 'front-end/Dockerfile': 'front-end', 'back-end/Dockerfile': 'back-end' };

function contextCopies(df: Dockerfile) {
  return df.stages.flatMap((s) => s.instructions.filter((i) => i.keyword === 'COPY').map(parseCopy)).filter((c) => !c.from);
}
function runs(df: Dockerfile, stageName: string): string[] {
  const stage = df.stages.find((s) => s.name === stageName);
  return (stage?.instructions ?? []).filter((i) => i.keyword === 'RUN').map((i) => i.args);
}

describe('.dockerignore', () => {
  const ignore = DockerIgnore.load();

  it('keeps installed and built files, local state and secrets out of the build context', () => {
    for (const path of ['node_modules', 'front-end/node_modules/x', 'messaging/dist/index.js', 'db/tsconfig.tsbuildinfo', '.env', '.git/config', '.stack/secrets.json']) {
      expect([path, ignore.ignores(path)]).toEqual([path, true]);
    }
    for (const path of ['package.json', 'package-lock.json', 'front-end/src/server.ts', 'front-end/views/layout.eta', 'db/migrations/0001_foundation.sql', 'db/patroni/patroni.yml']) {
      expect([path, ignore.ignores(path)]).toEqual([path, false]);
    }
  });

  it('follows Docker’s pattern rules (sanity check of this test’s matcher)', () => {
    const rules = new DockerIgnore('**/dist\n*.log\n!keep.log\nbuild/\n');
    expect(rules.ignores('a/b/dist/c.js')).toBe(true);
    expect(rules.ignores('dist')).toBe(true);
    expect(rules.ignores('x.log')).toBe(true);
    expect(rules.ignores('keep.log')).toBe(false);
    expect(rules.ignores('sub/x.log')).toBe(false);
    expect(rules.ignores('build/out/file')).toBe(true);
  });
});

describe.each(DOCKERFILES)('%s', (path) => {
  const df = parseDockerfile(path);
  const final = finalStage(df);

  it('builds on pinned base images only', () => {
    const stageNames = new Set(df.stages.map((s) => s.name).filter(Boolean));
    for (const stage of df.stages) {
      if (stageNames.has(stage.base)) continue;
      expect([stage.base, isPinned(stage.base)]).toEqual([stage.base, true]);
    }
  });

  it('runs as a non-root user, with a HEALTHCHECK', () => {
    const user = lastOf(final, 'USER')?.args;
    expect(user).toMatch(/^[1-9]\d*(:\d+)?$/);
    const hc = lastOf(final, 'HEALTHCHECK');
    expect(hc).toBeDefined();
    expect(parseHealthcheck(hc?.args ?? '')?.argv.length).toBeGreaterThan(0);
  });

  it('COPYs only files that exist in the build context and are not excluded by .dockerignore', () => {
    const ignore = DockerIgnore.load();
    for (const copy of contextCopies(df)) {
      for (const source of copy.sources) {
        const rel = source.replace(/\/$/, '');
        expect([source, existsSync(repoPath(rel)), ignore.ignores(rel)]).toEqual([source, true, false]);
      }
    }
  });
});

describe.each(Object.entries(NODE_APPS))('%s (Node application)', (path, workspace) => {
  const df = parseDockerfile(path);
  const final = finalStage(df);

  it('uses a Node base image satisfying the engines field of package.json', () => {
    const engines = (JSON.parse(readRepoFile('package.json')) as { engines: { node: string } }).engines.node;
    const [, minMajor = '0', minMinor = '0'] = /(\d+)\.(\d+)/.exec(engines) ?? [];
    const stageNames = new Set(df.stages.map((s) => s.name).filter(Boolean));
    for (const stage of df.stages.filter((s) => !stageNames.has(s.base))) {
      const { repository, tag = '' } = splitImage(stage.base);
      expect(repository).toBe('node');
      const [major = 0, minor = 0] = tag.split(/[.-]/).map(Number);
      expect(major * 1000 + minor).toBeGreaterThanOrEqual(Number(minMajor) * 1000 + Number(minMinor));
      expect(tag).toMatch(/-slim$/);
    }
  });

  it('builds with npm ci and tsc -b, and ships production dependencies only', () => {
    expect(runs(df, 'build')).toContain('npm ci --no-audit --no-fund');
    expect(runs(df, 'build')).toContain(`npx tsc -b ${workspace}`);
    expect(runs(df, 'deps').some((r) => /^npm ci --omit=dev --workspace=@barback\//.test(r))).toBe(true);
    const finalRuns = final.instructions.filter((i) => i.keyword === 'RUN');
    expect(finalRuns).toEqual([]);
    const fromStages = final.instructions
      .filter((i) => i.keyword === 'COPY')
      .map(parseCopy)
      .filter((c) => c.from)
      .map((c) => `${c.from}:${c.sources.join(',')}`);
    expect(fromStages).toContain('deps:/app/node_modules');
    expect(fromStages).toContain(`build:/app/${workspace}/dist`);
    expect(stageEnv(final)['NODE_ENV']).toBe('production');
  });

  it(`starts node ${workspace}/dist/server.js with the stack's Node flags`, () => {
    const cmd = commandForm(lastOf(final, 'CMD')?.args ?? '[]').argv;
    expect(cmd).toEqual(['node', ...NODE_FLAGS, `${workspace}/dist/server.js`]);
    expect(lastOf(final, 'ENTRYPOINT')).toBeUndefined();
  });

  it('copies what the app reads at run time', () => {
    const copied = final.instructions
      .filter((i) => i.keyword === 'COPY')
      .map(parseCopy)
      .filter((c) => !c.from)
      .flatMap((c) => c.sources);
    if (workspace === 'front-end') {
      expect(copied).toContain('front-end/views');
      expect(copied).toContain('front-end/public');
    } else {
      expect(copied).toContain('db/migrations');
    }
  });
});

describe('db/Dockerfile', () => {
  const df = parseDockerfile('db/Dockerfile');
  const final = finalStage(df);
  const patroni = parseYaml(readRepoFile('db/patroni/patroni.yml')) as {
    bootstrap: { post_bootstrap: string };
    postgresql: { bin_dir: string };
  };
  const copies = contextCopies(df);

  it('is Debian 12 slim with PostgreSQL 15 and Patroni from Debian packages', () => {
    expect(df.stages[0]?.base).toMatch(/^debian:12\.\d+-slim$/);
    const run = final.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args).join(' ');
    expect(run).toMatch(/apt-get install[^&]*\bpostgresql-15\b/);
    expect(run).toMatch(/apt-get install[^&]*\bpatroni\b/);
    expect(patroni.postgresql.bin_dir).toBe('/usr/lib/postgresql/15/bin');
  });

  it('runs the shared patroni.yml and post-bootstrap.sh, where patroni.yml expects them', () => {
    const yml = copies.find((c) => c.sources.includes('db/patroni/patroni.yml'));
    const hook = copies.find((c) => c.sources.includes('db/patroni/post-bootstrap.sh'));
    expect(yml).toBeDefined();
    expect(hook).toBeDefined();
    expect(commandForm(lastOf(final, 'CMD')?.args ?? '[]').argv).toEqual([yml?.dest]);
    expect(commandForm(lastOf(final, 'ENTRYPOINT')?.args ?? '[]').argv).toEqual(['patroni']);
    const defaultHook = /\$\{BARBACK_POST_BOOTSTRAP:-([^}]+)\}/.exec(patroni.bootstrap.post_bootstrap)?.[1];
    const hookPath = stageEnv(final)['BARBACK_POST_BOOTSTRAP'] ?? defaultHook;
    expect(hook?.dest).toBe(hookPath);
    // No COPY --chmod (the classic builder lacks it): the script is executable in git, which COPY keeps.
    expect(hook?.chmod).toBeUndefined();
    expect(statSync(repoPath('db/patroni/post-bootstrap.sh')).mode & 0o111).toBe(0o111);
  });

  it('sets no DCS itself (compose and Kubernetes choose theirs)', () => {
    const env = stageEnv(final);
    expect(Object.keys(env).filter((k) => /^PATRONI_(ETCD|ETCD3|KUBERNETES|CONSUL|ZOOKEEPER)_/.test(k))).toEqual([]);
    expect(env['PATRONI_POSTGRESQL_DATA_DIR']).toMatch(/^\/var\/lib\/postgresql\/data\/.+/);
  });
});

describe('messaging/Dockerfile (RabbitMQ)', () => {
  const df = parseDockerfile('messaging/Dockerfile');
  const final = finalStage(df);

  it('is Debian 12 slim with Debian\'s rabbitmq-server (3.10.8, the broker the local stack and the tests run)', () => {
    const { repository, tag = '' } = splitImage(df.stages[0]?.base ?? '');
    expect(repository).toBe('debian');
    expect(tag).toMatch(/^12\.\d+-slim$/);
    const run = final.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args).join(' ');
    expect(run).toMatch(/apt-get install[^&]*\brabbitmq-server\b/);
  });

  it('honours RABBITMQ_ERLANG_COOKIE and RABBITMQ_DEFAULT_USER/PASS through its entrypoint', () => {
    const copies = contextCopies(df).map((c) => `${c.sources.join(',')} -> ${c.dest}`);
    expect(copies).toContain('messaging/rabbitmq/docker-entrypoint.sh -> /usr/local/bin/barback-rabbitmq-entrypoint');
    expect(commandForm(lastOf(final, 'ENTRYPOINT')?.args ?? '[]').argv).toEqual(['/bin/sh', '/usr/local/bin/barback-rabbitmq-entrypoint']);
    const script = readRepoFile('messaging/rabbitmq/docker-entrypoint.sh');
    for (const name of ['RABBITMQ_ERLANG_COOKIE', 'RABBITMQ_DEFAULT_USER', 'RABBITMQ_DEFAULT_PASS']) expect(script).toContain(name);
  });

  it('carries the shared conf.d file and plugin list, plus the Kubernetes peer-discovery plugin', () => {
    const copies = contextCopies(df).map((c) => `${c.sources.join(',')} -> ${c.dest}`);
    expect(copies).toContain('messaging/rabbitmq/conf.d/10-barback.conf -> /etc/rabbitmq/conf.d/10-barback.conf');
    expect(copies).toContain('messaging/rabbitmq/enabled_plugins -> /etc/rabbitmq/enabled_plugins');
    const run = final.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);
    expect(run).toContain('rabbitmq-plugins enable --offline rabbitmq_peer_discovery_k8s');
  });

  it('leaves its schedulers unbound, as the local stack does (nodes may share a host)', () => {
    expect(stageEnv(final)['RABBITMQ_SCHEDULER_BIND_TYPE']).toBe(RABBIT_SCHEDULER_BIND_TYPE);
  });

  it('leaves settings RabbitMQ 3.10 does not know out of the shared file', () => {
    const shared = parseRabbitConf(readRepoFile('messaging/rabbitmq/conf.d/10-barback.conf'), '10-barback.conf');
    expect([...shared.keys()].filter((k) => k.startsWith('quorum_queue.continuous_membership_reconciliation'))).toEqual([]);
  });
});

describe('db/etcd/Dockerfile (Patroni\'s store under compose)', () => {
  const df = parseDockerfile('db/etcd/Dockerfile');
  const final = finalStage(df);

  it('is Debian 12 slim with Debian\'s etcd (3.4, the etcd the local stack runs)', () => {
    expect(df.stages[0]?.base).toMatch(/^debian:12\.\d+-slim$/);
    const run = final.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args).join(' ');
    expect(run).toMatch(/apt-get install[^&]*\betcd-server\b/);
    expect(stageEnv(final)['ETCD_DATA_DIR']).toBe('/var/lib/etcd/data');
  });
});

describe('every Dockerfile builds without a registry frontend or BuildKit-only syntax', () => {
  it('has no # syntax directive and no COPY --chmod (docker-compose 1.29 and the classic builder)', () => {
    for (const file of DOCKERFILES) {
      const text = readRepoFile(file);
      expect([file, /^#\s*syntax\s*=/im.test(text), /--chmod/.test(text)]).toEqual([file, false, false]);
    }
  });
});
