import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { patroniEnv, patroniMembers, roleOf } from '../../../scripts/stack/patroni.js';
import {
  patroniConfigFile,
  rabbitClusterTemplateFile,
  rabbitEnabledPluginsFile,
  rabbitSharedConfDir,
  stackPaths,
} from '../../../scripts/stack/paths.js';
import { portPlan } from '../../../scripts/stack/ports.js';
import { rabbitEnv, rabbitNodeName, rabbitNodes, renderClusterConf, renderNodeConf } from '../../../scripts/stack/rabbitmq.js';
import { generateSecrets } from '../../../scripts/stack/secrets.js';

const plan = portPlan(43000);
const paths = stackPaths('/tmp/barback-unit');

describe('RabbitMQ configuration', () => {
  it('renders the cluster-formation template with one line per node', () => {
    const nodes = [1, 2, 3].map((i) => rabbitNodeName(43000, i));
    const conf = renderClusterConf(readFileSync(rabbitClusterTemplateFile, 'utf8'), nodes);
    const settings = conf.split('\n').filter((l) => l.trim() && !l.startsWith('#'));
    expect(settings).toEqual([
      'cluster_formation.peer_discovery_backend = classic_config',
      'cluster_formation.classic_config.nodes.1 = bb43000-1@localhost',
      'cluster_formation.classic_config.nodes.2 = bb43000-2@localhost',
      'cluster_formation.classic_config.nodes.3 = bb43000-3@localhost',
    ]);
  });

  it('renders placeholders wherever they are on a line', () => {
    expect(renderClusterConf('a\nn.${INDEX}=${NODE} # ${NODE}\nb', ['x@h', 'y@h'])).toBe('a\nn.1=x@h # x@h\nn.2=y@h # y@h\nb');
  });

  it('gives each node its own loopback listeners', () => {
    const nodes = rabbitNodes(paths, plan);
    expect(nodes.map((n) => [n.name, n.node, n.amqpPort, n.managementPort, n.distPort])).toEqual([
      ['rmq1', 'bb43000-1@localhost', 43030, 43040, 43050],
      ['rmq2', 'bb43000-2@localhost', 43031, 43041, 43051],
      ['rmq3', 'bb43000-3@localhost', 43032, 43042, 43052],
    ]);
    expect(renderNodeConf(nodes[1]!)).toContain('listeners.tcp.default = 127.0.0.1:43031');
    expect(renderNodeConf(nodes[1]!)).toContain('management.tcp.port = 43041');
    expect(renderNodeConf(nodes[1]!)).toContain('management.tcp.ip = 127.0.0.1');
  });

  it('isolates each node through its environment', () => {
    const env = rabbitEnv(rabbitNodes(paths, plan)[2]!, paths, {});
    expect(env).toMatchObject({
      RABBITMQ_NODENAME: 'bb43000-3@localhost',
      RABBITMQ_NODE_PORT: '43032',
      RABBITMQ_DIST_PORT: '43052',
      HOME: join(paths.rabbitDir, 'home'),
      RABBITMQ_CONFIG_FILES: join(paths.rabbitDir, 'rmq3', 'conf.d'),
      RABBITMQ_MNESIA_BASE: join(paths.rabbitDir, 'rmq3', 'mnesia'),
    });
    expect(env['RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS']).toContain('+S 1:1');
    expect(env['RABBITMQ_SCHEDULER_BIND_TYPE']).toBe('u');
  });

  it('shares settings that are safe everywhere', () => {
    const files = readdirSync(rabbitSharedConfDir).filter((f) => f.endsWith('.conf'));
    expect(files.length).toBeGreaterThan(0);
    const text = files.map((f) => readFileSync(join(rabbitSharedConfDir, f), 'utf8')).join('\n');
    const lines = text.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#'));
    expect(lines).not.toContainEqual(expect.stringMatching(/^loopback_users\s*=\s*none/));
    expect(lines).toContain('disk_free_limit.absolute = 50MB');
    expect(lines).toContainEqual(expect.stringMatching(/^consumer_timeout = \d+$/));
    expect(lines.some((l) => /queue|exchange/.test(l.split('=')[0] ?? ''))).toBe(false);
    expect(readFileSync(rabbitEnabledPluginsFile, 'utf8').trim()).toBe('[rabbitmq_management].');
  });
});

describe('Patroni configuration', () => {
  const config = parse(readFileSync(patroniConfigFile, 'utf8'));

  it('leaves the DCS and node-specific settings to the environment', () => {
    for (const key of ['etcd', 'etcd3', 'kubernetes', 'consul', 'zookeeper', 'raft', 'name', 'scope']) {
      expect(config).not.toHaveProperty(key);
    }
    expect(config['postgresql']).not.toHaveProperty('data_dir');
    expect(config['postgresql']).not.toHaveProperty('listen');
    expect(config['postgresql']).not.toHaveProperty('authentication');
  });

  it('fails over quickly and can rewind', () => {
    const dcs = config['bootstrap']['dcs'];
    expect(dcs).toMatchObject({ ttl: 10, loop_wait: 2, retry_timeout: 5 });
    expect(dcs['maximum_lag_on_failover']).toBeGreaterThan(0);
    expect(dcs['postgresql']['use_pg_rewind']).toBe(true);
    expect(dcs['postgresql']['parameters']).toMatchObject({ wal_level: 'replica', hot_standby: 'on', max_connections: 100 });
    expect(config['postgresql']['bin_dir']).toBe('/usr/lib/postgresql/15/bin');
  });

  it('replicates synchronously, without refusing writes while the standby is away', () => {
    expect(config['bootstrap']['dcs']).toMatchObject({ synchronous_mode: true, synchronous_mode_strict: false });
  });

  it('keeps standby feedback, and sends it every second so the primary cleans up hot rows soon', () => {
    expect(config['postgresql']['parameters']).toMatchObject({ hot_standby_feedback: 'on', wal_receiver_status_interval: '1s' });
  });

  it('looks for tables to vacuum every 10 s, so the stock moves folded away do not pile up for a minute', () => {
    expect(config['postgresql']['parameters']).toMatchObject({ autovacuum_naptime: '10s' });
  });

  it('asks for passwords on every TCP connection', () => {
    const hba: string[] = config['postgresql']['pg_hba'].map((l: string) => l.trim().split(/\s+/).join(' '));
    expect(hba).toContain('host replication all 0.0.0.0/0 scram-sha-256');
    expect(hba).toContain('host all all 0.0.0.0/0 scram-sha-256');
    expect(hba.filter((l) => l.startsWith('host')).every((l) => l.endsWith('scram-sha-256'))).toBe(true);
    expect(config['postgresql']['parameters']['password_encryption']).toBe('scram-sha-256');
  });

  it('runs the post-bootstrap hook with the connection string', () => {
    expect(config['bootstrap']['post_bootstrap']).toContain('BARBACK_POST_BOOTSTRAP');
  });

  it('sets the per-member environment Patroni reads', () => {
    const members = patroniMembers(paths, plan);
    expect(members.map((m) => [m.name, m.port, m.restPort])).toEqual([
      ['pg1', 43010, 43020],
      ['pg2', 43011, 43021],
    ]);
    const secrets = generateSecrets();
    const env = patroniEnv(members[1]!, plan, secrets, {});
    expect(env).toMatchObject({
      PATRONI_NAME: 'pg2',
      PATRONI_SCOPE: 'barback',
      PATRONI_RESTAPI_LISTEN: '127.0.0.1:43021',
      PATRONI_RESTAPI_CONNECT_ADDRESS: '127.0.0.1:43021',
      PATRONI_POSTGRESQL_LISTEN: '127.0.0.1:43011',
      PATRONI_POSTGRESQL_CONNECT_ADDRESS: '127.0.0.1:43011',
      PATRONI_POSTGRESQL_DATA_DIR: join(paths.postgresDir, 'pg2', 'data'),
      PATRONI_ETCD3_HOSTS: '127.0.0.1:43001',
      PATRONI_SUPERUSER_USERNAME: 'postgres',
      PATRONI_SUPERUSER_PASSWORD: secrets.postgresPassword,
      PATRONI_REPLICATION_USERNAME: 'replicator',
      PATRONI_REPLICATION_PASSWORD: secrets.replicationPassword,
      BARBACK_DB_USER: 'barback',
      BARBACK_DB_PASSWORD: secrets.dbPassword,
      BARBACK_DB_NAME: 'barback',
    });
    // Patroni turns any other PATRONI_<X>_PASSWORD into a bootstrap user: there must be none.
    const users = Object.keys(env).filter((k) => /^PATRONI_.+_PASSWORD$/.test(k));
    expect(users.sort()).toEqual(['PATRONI_REPLICATION_PASSWORD', 'PATRONI_SUPERUSER_PASSWORD']);
  });

  it('reads roles from the REST API answer', () => {
    expect(roleOf({ state: 'running', role: 'master' })).toBe('primary');
    expect(roleOf({ state: 'running', role: 'master', cluster_unlocked: true })).toBe('unknown');
    expect(roleOf({ state: 'running', role: 'replica' })).toBe('standby');
    expect(roleOf({ state: 'starting', role: 'replica' })).toBe('unknown');
    expect(roleOf(undefined)).toBe('unknown');
  });
});
