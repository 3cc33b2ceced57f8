/**
 * docker-compose.yml: valid against the Compose Specification schema, every
 * variable documented, and coherent with the images, the shared configuration
 * and the applications' own configuration schemas. No Docker engine needed.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { Ajv } from 'ajv';
import { loadConfig as loadWorkerConfig } from '@barback/back-end';
import { loadConfig as loadFrontEndConfig } from '@barback/front-end';
import {
  dependsOn,
  interpolateDocument,
  loadRawCompose,
  service,
  serviceEnv,
  services,
  stringValues,
  variablesIn,
  volumeMounts,
} from './lib/compose.js';
import { finalStage, isPinned, lastOf, parseDockerfile } from './lib/dockerfile.js';
import { renderClusterConf } from '../../scripts/stack/rabbitmq.js';
import { parseRabbitConf, significantLines } from './lib/rabbitmq-conf.js';
import { envExampleFile, isRecord, loadComposeSchema, parseEnvExample, readRepoFile, repoPath } from './lib/repo.js';

const RABBIT = ['rabbitmq-1', 'rabbitmq-2', 'rabbitmq-3'];
const DB = ['db-1', 'db-2'];

const raw = loadRawCompose();
const exampleFile = envExampleFile();
const example = parseEnvExample(readRepoFile(exampleFile));
const exampleEnv = Object.fromEntries([...example].map(([k, e]) => [k, e.value]));
/** The file as `docker compose config` resolves it after `cp .env.example .env`. */
const compose = interpolateDocument(raw, exampleEnv) as Record<string, unknown>;

function validateAgainstSchema(doc: unknown): string[] {
  const schema = loadComposeSchema();
  // The schema names its meta-schema by an https URI Ajv does not bundle; it is plain draft-07.
  delete schema['$schema'];
  const ajv = new Ajv({ strict: false, allErrors: true });
  const validate = ajv.compile(schema);
  if (validate(doc)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

function urlsOf(list: string): URL[] {
  return list.split(',').map((u) => new URL(u.trim()));
}

describe('docker-compose.yml against the Compose Specification', () => {
  it('finds the schema beside the repository', () => {
    expect(() => loadComposeSchema()).not.toThrow();
  });

  it('validates as written (merge keys resolved) and after interpolation', () => {
    expect(validateAgainstSchema(raw)).toEqual([]);
    expect(validateAgainstSchema(compose)).toEqual([]);
  });
});

describe('docker-compose.yml for Debian 12\'s docker-compose 1.29 as well as Compose v2', () => {
  it('has no top-level name (1.29 refuses it): the project name is COMPOSE_PROJECT_NAME in .env.example', () => {
    const allowed = ['version', 'services', 'networks', 'volumes', 'secrets', 'configs'];
    expect(Object.keys(raw).filter((k) => !allowed.includes(k) && !k.startsWith('x-'))).toEqual([]);
    expect(exampleEnv['COMPOSE_PROJECT_NAME']).toBe('barback');
  });

  it('builds every service from the repository and tags it barback/<name>:0.1.0 (the tags k8s/ deploys)', () => {
    for (const { name, spec } of services(compose)) {
      expect([name, isRecord(spec['build'])]).toEqual([name, true]);
      expect([name, String(spec['image'])]).toEqual([name, expect.stringMatching(/^barback\/[a-z-]+:0\.1\.0$/)]);
    }
  });

  it('names no Dockerfile with a # syntax directive (it would pull a frontend image from a registry)', () => {
    for (const { name, spec } of services(compose)) {
      const dockerfile = readRepoFile(String((spec['build'] as Record<string, unknown>)['dockerfile']));
      expect([name, /^#\s*syntax\s*=/im.test(dockerfile)]).toEqual([name, false]);
    }
  });
});

describe('docker-compose.yml variables', () => {
  const used = new Set([...stringValues(raw)].flatMap(([, v]) => variablesIn(v)));

  it(`documents every variable it uses in ${exampleFile}`, () => {
    expect(used.size).toBeGreaterThan(0);
    const missing = [...used].filter((name) => !example.has(name));
    expect(missing).toEqual([]);
  });

  it('gives each variable in .env.example a one-line comment', () => {
    const list = parseEnvExample(readRepoFile('.env.example'));
    const undocumented = [...list.values()].filter((e) => !e.comment).map((e) => e.key);
    expect(undocumented).toEqual([]);
  });

  it('interpolates with the example values alone (cp .env.example .env is enough)', () => {
    expect(() => interpolateDocument(raw, exampleEnv)).not.toThrow();
    expect(() => interpolateDocument(raw, {})).toThrow(/required variable/);
    expect(exampleEnv['SESSION_KEY']).toMatch(/^[0-9a-fA-F]{64}$/);
  });
});

describe('docker-compose.yml services', () => {
  const all = services(compose);
  const byName = new Map(all.map((s) => [s.name, s.spec]));

  it('starts 3 RabbitMQ nodes, etcd, 2 Patroni members, the workers and the front end', () => {
    expect(all.map((s) => s.name).sort()).toEqual([...RABBIT, 'etcd', ...DB, 'back-end', 'front-end'].sort());
  });

  it('builds every image from a Dockerfile in the repository, from the repository root', () => {
    for (const { name, spec } of all) {
      const build = spec['build'];
      if (build === undefined) {
        expect([name, spec['image'], isPinned(String(spec['image']))]).toEqual([name, spec['image'], true]);
        continue;
      }
      expect(isRecord(build)).toBe(true);
      const { context, dockerfile } = build as Record<string, unknown>;
      expect([name, context]).toEqual([name, '.']);
      expect([name, existsSync(repoPath(String(dockerfile)))]).toEqual([name, true]);
    }
  });

  it('waits for healthy dependencies, and every dependency has a healthcheck', () => {
    for (const { name, spec } of all) {
      for (const [dep, condition] of dependsOn(spec)) {
        expect([name, dep, condition]).toEqual([name, dep, 'service_healthy']);
        const target = byName.get(dep);
        expect([name, dep, target !== undefined]).toEqual([name, dep, true]);
        const own = isRecord(target?.['healthcheck']);
        const build = target?.['build'];
        const fromImage =
          isRecord(build) && lastOf(finalStage(parseDockerfile(String(build['dockerfile']))), 'HEALTHCHECK') !== undefined;
        expect([dep, own || fromImage]).toEqual([dep, true]);
      }
    }
  });

  it('gives every service a healthcheck (its own or its image HEALTHCHECK)', () => {
    for (const { name, spec } of all) {
      const build = spec['build'];
      const fromImage = isRecord(build) && lastOf(finalStage(parseDockerfile(String(build['dockerfile']))), 'HEALTHCHECK') !== undefined;
      expect([name, isRecord(spec['healthcheck']) || fromImage]).toEqual([name, true]);
    }
  });

  it('keeps all state in named volumes', () => {
    const declared = Object.keys(compose['volumes'] ?? {});
    const dataDirs: Record<string, string> = {
      'rabbitmq-1': '/var/lib/rabbitmq',
      'rabbitmq-2': '/var/lib/rabbitmq',
      'rabbitmq-3': '/var/lib/rabbitmq',
      etcd: '/var/lib/etcd/data',
      'db-1': '/var/lib/postgresql/data',
      'db-2': '/var/lib/postgresql/data',
    };
    const usedVolumes = new Set<string>();
    for (const { name, spec } of all) {
      for (const m of volumeMounts(spec)) {
        if (m.type === 'volume') {
          expect([name, m.source, declared.includes(m.source)]).toEqual([name, m.source, true]);
          usedVolumes.add(m.source);
        } else {
          // bind mounts are read-only configuration files of this repository
          expect([name, m.source, existsSync(repoPath(m.source))]).toEqual([name, m.source, true]);
        }
      }
      const dataDir = dataDirs[name];
      if (dataDir) {
        const mount = volumeMounts(spec).find((m) => m.target === dataDir);
        expect([name, mount?.type]).toEqual([name, 'volume']);
      }
    }
    expect(declared.filter((v) => !usedVolumes.has(v))).toEqual([]);
  });

  it('lets the workers scale (--scale back-end=N) and publishes the front end on 3000', () => {
    const worker = service(compose, 'back-end');
    expect(worker['container_name']).toBeUndefined();
    expect(worker['ports']).toBeUndefined();
    expect(worker['hostname']).toBeUndefined();
    expect((worker['deploy'] as Record<string, unknown>)['replicas']).toBe(2);
    const ports = (service(compose, 'front-end')['ports'] as unknown[]).map(String);
    expect(ports).toContain('3000:3000');
  });
});

describe('docker-compose.yml RabbitMQ cluster', () => {
  it('forms one cluster from the shared cluster-formation template', () => {
    const hostnames = RABBIT.map((n) => service(compose, n)['hostname']);
    expect(hostnames).toEqual(RABBIT);
    // Rendered by the local stack's own renderer, for the compose node names.
    const rendered = renderClusterConf(
      readRepoFile('messaging/rabbitmq/cluster-formation.conf.template'),
      RABBIT.map((h) => `rabbit@${h}`),
    );
    expect(significantLines(readRepoFile('messaging/rabbitmq/compose/20-cluster.conf'))).toEqual(significantLines(rendered));
  });

  it('mounts the cluster-formation snippet into conf.d on every node, next to the shared file the image carries', () => {
    for (const name of RABBIT) {
      const targets = volumeMounts(service(compose, name)).map((m) => `${m.source} -> ${m.target}`);
      expect(targets).toEqual(['./messaging/rabbitmq/compose/20-cluster.conf -> /etc/rabbitmq/conf.d/20-cluster.conf', 'rabbitmq-' + name.slice(-1) + '-data -> /var/lib/rabbitmq']);
    }
    // RabbitMQ 3.10 (Debian's, in the image) refuses keys it does not know, such as 3.13's quorum membership reconciliation.
    const conf = parseRabbitConf(readRepoFile('messaging/rabbitmq/compose/20-cluster.conf'), '20-cluster.conf');
    expect([...conf.keys()].filter((k) => k.startsWith('quorum_queue.'))).toEqual([]);
  });

  it('shares one Erlang cookie and one application user, and starts the nodes one after another', () => {
    const envs = RABBIT.map((n) => serviceEnv(service(raw, n)));
    for (const key of ['RABBITMQ_ERLANG_COOKIE', 'RABBITMQ_DEFAULT_USER', 'RABBITMQ_DEFAULT_PASS']) {
      expect(new Set(envs.map((e) => e[key])).size).toBe(1);
      expect(envs[0]?.[key]).toMatch(/\$\{/);
    }
    expect([...dependsOn(service(compose, 'rabbitmq-2')).keys()]).toEqual(['rabbitmq-1']);
    expect([...dependsOn(service(compose, 'rabbitmq-3')).keys()]).toEqual(['rabbitmq-2']);
  });
});

describe('docker-compose.yml PostgreSQL / Patroni', () => {
  it('names each member after its host and points it at etcd', () => {
    const etcdEnv = serviceEnv(service(compose, 'etcd'));
    for (const name of DB) {
      const spec = service(compose, name);
      const env = serviceEnv(spec);
      expect(spec['hostname']).toBe(name);
      expect(env['PATRONI_NAME']).toBe(name);
      expect(env['PATRONI_SCOPE']).toBe('barback');
      expect(env['PATRONI_RESTAPI_CONNECT_ADDRESS']).toBe(`${name}:8008`);
      expect(env['PATRONI_POSTGRESQL_CONNECT_ADDRESS']).toBe(`${name}:5432`);
      expect(env['PATRONI_ETCD3_HOSTS']).toBe('etcd:2379');
      expect([...dependsOn(spec).keys()]).toEqual(['etcd']);
    }
    expect(etcdEnv['ETCD_ADVERTISE_CLIENT_URLS']).toBe('http://etcd:2379');
  });

  it('creates the database and user the workers log in with', () => {
    const db = serviceEnv(service(compose, 'db-1'));
    const worker = serviceEnv(service(compose, 'back-end'));
    expect(db['BARBACK_DB_NAME']).toBe(worker['DB_NAME']);
    expect(db['BARBACK_DB_USER']).toBe(worker['DB_USER']);
    expect(db['BARBACK_DB_PASSWORD']).toBe(worker['DB_PASSWORD']);
  });
});

describe('docker-compose.yml application settings', () => {
  const workerEnv = serviceEnv(service(compose, 'back-end'));
  const frontEnv = serviceEnv(service(compose, 'front-end'));

  it('gives both applications every RabbitMQ node, with the cluster user', () => {
    for (const env of [workerEnv, frontEnv]) {
      const urls = urlsOf(env['AMQP_URLS'] ?? '');
      expect(urls.map((u) => `${u.hostname}:${u.port}`)).toEqual(RABBIT.map((h) => `${h}:5672`));
      for (const u of urls) {
        expect(u.protocol).toBe('amqp:');
        expect(decodeURIComponent(u.username)).toBe(exampleEnv['RABBITMQ_USER']);
        expect(decodeURIComponent(u.password)).toBe(exampleEnv['RABBITMQ_PASSWORD']);
      }
    }
  });

  it('gives the workers both Patroni members', () => {
    expect(workerEnv['DB_HOSTS']).toBe(DB.map((h) => `${h}:5432`).join(','));
  });

  it('passes the applications’ own configuration checks', () => {
    const front = loadFrontEndConfig(frontEnv);
    expect(front.host).toBe('0.0.0.0');
    expect(front.port).toBe(3000);
    const worker = loadWorkerConfig(workerEnv);
    expect(worker.healthPort).toBe(8081);
    expect(worker.amqpUrls).toHaveLength(RABBIT.length);
  });

  it('probes the worker on the HEALTH_PORT it sets', () => {
    const test = (service(compose, 'back-end')['healthcheck'] as Record<string, unknown>)['test'] as string[];
    expect(test.join(' ')).toContain(`127.0.0.1:${workerEnv['HEALTH_PORT']}/readyz`);
    const frontTest = (service(compose, 'front-end')['healthcheck'] as Record<string, unknown>)['test'] as string[];
    expect(frontTest.join(' ')).toContain(`127.0.0.1:${frontEnv['PORT']}/readyz`);
  });
});
