/**
 * k8s/: every manifest validated against the Kubernetes API schemas
 * (kubernetes-models) with no unknown field, plus the semantic checks a schema
 * cannot make: selectors, named ports, Secret/ConfigMap keys, images, probes,
 * resources, security contexts, StatefulSet services, RBAC, NetworkPolicies,
 * and agreement with the images, the shared configuration and the apps' own
 * configuration schemas. No cluster needed.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import type { IIoK8sApiCoreV1Container as Container } from 'kubernetes-models/v1/Container';
import type { IIoK8sApiCoreV1Probe as Probe } from 'kubernetes-models/v1/Probe';
import { loadConfig as loadWorkerConfig } from '@barback/back-end';
import { loadConfig as loadFrontEndConfig } from '@barback/front-end';
import { loadRawCompose, services as composeServices } from './lib/compose.js';
import { finalStage, isPinned, lastOf, parseDockerfile, splitImage } from './lib/dockerfile.js';
import {
  containersOf,
  danglingRefs,
  dataOf,
  FieldChecker,
  find,
  labelsMatch,
  loadManifests,
  manifestFiles,
  resolveEnv,
  validateWithModel,
  workloads,
  type K8sObject,
  type Workload,
} from './lib/k8s.js';
import { parseRabbitConf } from './lib/rabbitmq-conf.js';
import { isRecord, parseYaml, readRepoFile, repoPath } from './lib/repo.js';

const NAMESPACE = 'barback';
/** Images this repository builds, and from which Dockerfile (build context: the repository root). */
const BUILT_IMAGES: Record<string, string> = {
  'barback/front-end': 'front-end/Dockerfile',
  'barback/back-end': 'back-end/Dockerfile',
  'barback/db': 'db/Dockerfile',
  'barback/rabbitmq': 'messaging/Dockerfile',
};
/**
 * Labels Patroni 3.0.2 (Debian 12) puts on member pods at run time with the
 * Kubernetes DCS: role=master on the leader, role=replica on running standbys.
 */
const PATRONI_ROLE_LABELS = [{ role: 'master' }, { role: 'replica' }];

const all = loadManifests();
const objects = all.map((o) => o.object);
const pods = workloads(all);
const version = (JSON.parse(readRepoFile('package.json')) as { version: string }).version;

function ofKind(kind: string): K8sObject[] {
  return objects.filter((o) => o.kind === kind);
}
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- a typed view of the spec, named at each call
function spec<T = Record<string, unknown>>(o: K8sObject): T {
  return o['spec'] as T;
}
function must<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null) throw new Error(`missing: ${what}`);
  return value;
}
function workload(kind: string, name: string): Workload {
  return must(
    pods.find((w) => w.object.kind === kind && w.object.metadata.name === name),
    `${kind}/${name}`,
  );
}
function container(w: Workload, name?: string): Container {
  const cs = containersOf(w.template);
  return must(name ? cs.find((c) => c.name === name) : cs[0], `container of ${w.object.metadata.name}`);
}
function isPatroni(w: Workload): boolean {
  return containersOf(w.template).some((c) => (c.env ?? []).some((e) => e.name.startsWith('PATRONI_KUBERNETES_')));
}
/** The label sets a workload's pods can carry: the template's, plus Patroni's role labels. */
function podLabelSets(w: Workload): Record<string, string>[] {
  const labels = w.template.metadata?.labels ?? {};
  return isPatroni(w) ? [labels, ...PATRONI_ROLE_LABELS.map((r) => ({ ...labels, ...r }))] : [labels];
}
function selectedBy(selector: Record<string, string>): Workload[] {
  return pods.filter((w) => podLabelSets(w).some((labels) => labelsMatch(selector, labels)));
}
const FIELDS = (w: Workload): Record<string, string> => ({
  'metadata.name': `${w.object.metadata.name}-0`,
  'metadata.namespace': NAMESPACE,
  'status.podIP': '10.0.0.10',
});
function envOf(w: Workload, name?: string): Record<string, string> {
  return resolveEnv(all, container(w, name), FIELDS(w));
}
function probePort(c: Container, probe: Probe | undefined): string | number | undefined {
  return probe?.httpGet?.port ?? probe?.tcpSocket?.port ?? probe?.grpc?.port;
}

describe('k8s/ manifests against the Kubernetes API schemas', () => {
  it('are plain manifests that `kubectl apply -f k8s/` can apply (no kustomization.yaml in k8s/)', () => {
    expect(manifestFiles().length).toBeGreaterThan(0);
    expect(existsSync(repoPath('k8s', 'kustomization.yaml'))).toBe(false);
    expect(existsSync(repoPath('k8s', 'kustomization.yml'))).toBe(false);
    // The namespace comes first in apply order.
    expect(manifestFiles()[0]).toBe('k8s/00-namespace.yaml');
    expect(objects[0]?.kind).toBe('Namespace');
  });

  it('validates every object with kubernetes-models', async () => {
    const errors: string[] = [];
    for (const { file, object } of all) {
      const error = await validateWithModel(object);
      if (error) errors.push(`${file} ${object.kind}/${object.metadata.name}: ${error}`);
    }
    expect(errors).toEqual([]);
  });

  it('uses no field the API does not know (the API server refuses unknown fields)', () => {
    const checker = new FieldChecker(objects);
    const unknown = all.flatMap(({ file, object }) =>
      checker.unknownFields(object).map((f) => `${file} ${object.kind}/${object.metadata.name}: ${f}`),
    );
    expect(unknown).toEqual([]);
    // the check itself catches a typo
    const typo = structuredClone(workload('StatefulSet', 'rabbitmq').object);
    spec(typo)['podManagmentPolicy'] = 'Parallel';
    expect(checker.unknownFields(typo)).toEqual(['spec.podManagmentPolicy']);
  });

  it('puts everything in the barback namespace, each object once', () => {
    expect(ofKind('Namespace').map((n) => n.metadata.name)).toEqual([NAMESPACE]);
    const namespaced = objects.filter((o) => o.kind !== 'Namespace');
    expect(namespaced.filter((o) => o.metadata.namespace !== NAMESPACE).map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([]);
    const ids = objects.map((o) => `${o.kind}/${o.metadata.name}`);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });
});

describe('k8s/ semantic checks', () => {
  it('has every Service select the pods of some workload', () => {
    for (const svc of ofKind('Service')) {
      const selector = spec<{ selector?: Record<string, string> }>(svc).selector;
      expect([svc.metadata.name, selector !== undefined && Object.keys(selector).length > 0]).toEqual([svc.metadata.name, true]);
      expect([svc.metadata.name, selectedBy(selector ?? {}).length > 0]).toEqual([svc.metadata.name, true]);
    }
  });

  it('has every Service port target a port of the selected pods', () => {
    for (const svc of ofKind('Service')) {
      const s = spec<{ selector: Record<string, string>; ports: { name?: string; port: number; targetPort?: string | number }[] }>(svc);
      for (const w of selectedBy(s.selector)) {
        const ports = containersOf(w.template).flatMap((c) => c.ports ?? []);
        for (const p of s.ports) {
          const target = p.targetPort ?? p.port;
          const found = ports.some((cp) => (typeof target === 'string' ? cp.name === target : cp.containerPort === target));
          expect([svc.metadata.name, w.object.metadata.name, target, found]).toEqual([svc.metadata.name, w.object.metadata.name, target, true]);
        }
      }
    }
  });

  it('has every workload select its own pod template', () => {
    for (const w of pods) {
      expect(Object.keys(w.selector).length).toBeGreaterThan(0);
      expect([w.object.metadata.name, labelsMatch(w.selector, w.template.metadata?.labels)]).toEqual([w.object.metadata.name, true]);
    }
  });

  it('finds every Secret and ConfigMap key a workload refers to', () => {
    const missing: string[] = [];
    const check = (kind: 'Secret' | 'ConfigMap', name: string | undefined, key: string | undefined, where: string) => {
      const obj = name ? find(all, kind, name) : undefined;
      if (!obj) missing.push(`${where}: ${kind} ${name}`);
      else if (key !== undefined && !(key in dataOf(obj))) missing.push(`${where}: ${kind} ${name} key ${key}`);
    };
    for (const w of pods) {
      const where = `${w.object.kind}/${w.object.metadata.name}`;
      for (const c of containersOf(w.template)) {
        for (const e of c.env ?? []) {
          const ref = e.valueFrom;
          if (ref?.secretKeyRef) check('Secret', ref.secretKeyRef.name, ref.secretKeyRef.key, `${where} ${e.name}`);
          if (ref?.configMapKeyRef) check('ConfigMap', ref.configMapKeyRef.name, ref.configMapKeyRef.key, `${where} ${e.name}`);
        }
        for (const from of c.envFrom ?? []) {
          if (from.secretRef) check('Secret', from.secretRef.name, undefined, `${where} envFrom`);
          if (from.configMapRef) check('ConfigMap', from.configMapRef.name, undefined, `${where} envFrom`);
        }
      }
      for (const v of w.template.spec?.volumes ?? []) {
        if (v.configMap) {
          check('ConfigMap', v.configMap.name, undefined, `${where} volume ${v.name}`);
          for (const item of v.configMap.items ?? []) check('ConfigMap', v.configMap.name, item.key, `${where} volume ${v.name}`);
        }
        if (v.secret) {
          check('Secret', v.secret.secretName, undefined, `${where} volume ${v.name}`);
          for (const item of v.secret.items ?? []) check('Secret', v.secret.secretName, item.key, `${where} volume ${v.name}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('resolves every $(VAR) in env values to a variable defined before it', () => {
    for (const w of pods) {
      for (const c of containersOf(w.template)) {
        const fromEnvFrom = Object.keys(
          resolveEnv(all, { name: c.name, envFrom: c.envFrom ?? [] }, FIELDS(w)),
        );
        expect([c.name, danglingRefs(c, fromEnvFrom)]).toEqual([c.name, []]);
      }
    }
  });

  it('runs only images built by a Dockerfile here (tagged with the release version) or pinned upstream images', () => {
    const composeBuilt = composeServices(loadRawCompose()).flatMap(({ spec: s }) => {
      const build = s['build'];
      return isRecord(build) ? [{ dockerfile: String(build['dockerfile']), image: String(s['image']) }] : [];
    });
    const composeDockerfiles = composeBuilt.map((b) => b.dockerfile);
    for (const w of pods) {
      for (const c of containersOf(w.template)) {
        const image = must(c.image, `${c.name} image`);
        const { repository, tag } = splitImage(image);
        const dockerfile = BUILT_IMAGES[repository];
        if (dockerfile) {
          expect([image, existsSync(repoPath(dockerfile))]).toEqual([image, true]);
          // the same Dockerfile docker compose builds, so development runs what the cluster runs
          expect([image, composeDockerfiles.includes(dockerfile)]).toEqual([image, true]);
          // ... under the very tag compose gives the image it builds (npm run test:compose builds and runs those)
          expect([image, composeBuilt.filter((b) => b.dockerfile === dockerfile).map((b) => b.image)]).toEqual([image, expect.arrayContaining([image])]);
          expect([image, tag]).toEqual([image, version]);
        } else {
          expect([image, isPinned(image)]).toEqual([image, true]);
        }
      }
    }
  });

  it('gives every container liveness and readiness probes on its own ports, requests and limits', () => {
    for (const w of pods) {
      for (const c of containersOf(w.template)) {
        const id = `${w.object.metadata.name}/${c.name}`;
        expect([id, c.livenessProbe !== undefined, c.readinessProbe !== undefined]).toEqual([id, true, true]);
        for (const probe of [c.livenessProbe, c.readinessProbe]) {
          const port = probePort(c, probe);
          if (port === undefined) {
            expect([id, probe?.exec?.command?.length ?? 0]).not.toEqual([id, 0]);
          } else {
            const found = (c.ports ?? []).some((p) => (typeof port === 'string' ? p.name === port : p.containerPort === port));
            expect([id, port, found]).toEqual([id, port, true]);
          }
        }
        for (const side of ['requests', 'limits'] as const) {
          const r = c.resources?.[side] ?? {};
          expect([id, side, r['cpu'] !== undefined, r['memory'] !== undefined]).toEqual([id, side, true, true]);
        }
      }
    }
  });

  it('runs every container as the image’s non-root user, meeting the restricted Pod Security Standard', () => {
    const namespace = must(ofKind('Namespace')[0], 'namespace');
    expect(namespace.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
    for (const w of pods) {
      const podSc = w.template.spec?.securityContext ?? {};
      for (const c of containersOf(w.template)) {
        const id = `${w.object.metadata.name}/${c.name}`;
        const sc = c.securityContext ?? {};
        const runAsNonRoot = sc.runAsNonRoot ?? podSc.runAsNonRoot;
        const runAsUser = sc.runAsUser ?? podSc.runAsUser;
        const seccomp = sc.seccompProfile?.type ?? podSc.seccompProfile?.type;
        expect([id, runAsNonRoot, (runAsUser ?? 0) > 0, seccomp]).toEqual([id, true, true, 'RuntimeDefault']);
        expect([id, sc.allowPrivilegeEscalation, sc.capabilities?.drop]).toEqual([id, false, ['ALL']]);
        expect([id, sc.privileged ?? false]).toEqual([id, false]);
        const dockerfile = BUILT_IMAGES[splitImage(c.image ?? '').repository];
        if (dockerfile) {
          const user = lastOf(finalStage(parseDockerfile(dockerfile)), 'USER')?.args ?? 'root';
          expect([id, user.split(':')[0]]).toEqual([id, String(runAsUser)]);
        }
      }
    }
  });

  it('gives each StatefulSet a headless Service selecting its pods, and mounts its claims', () => {
    const sets = pods.filter((w) => w.object.kind === 'StatefulSet');
    expect(sets.map((w) => w.object.metadata.name).sort()).toEqual(['db', 'rabbitmq']);
    for (const w of sets) {
      const s = spec<{ serviceName: string; volumeClaimTemplates?: { metadata?: { name?: string } }[] }>(w.object);
      const svc = must(find(all, 'Service', s.serviceName), `Service ${s.serviceName}`);
      const svcSpec = spec<{ clusterIP?: string; selector: Record<string, string>; publishNotReadyAddresses?: boolean }>(svc);
      expect([s.serviceName, svcSpec.clusterIP, svcSpec.publishNotReadyAddresses]).toEqual([s.serviceName, 'None', true]);
      expect(labelsMatch(svcSpec.selector, w.template.metadata?.labels)).toBe(true);
      const mounts = containersOf(w.template).flatMap((c) => (c.volumeMounts ?? []).map((m) => m.name));
      const claims = (s.volumeClaimTemplates ?? []).map((t) => t.metadata?.name);
      expect(claims.length).toBeGreaterThan(0);
      for (const claim of claims) expect(mounts).toContain(claim);
    }
  });

  it('mounts only volumes the pod declares', () => {
    for (const w of pods) {
      const declared = new Set([
        ...(w.template.spec?.volumes ?? []).map((v) => v.name),
        ...((spec<{ volumeClaimTemplates?: { metadata?: { name?: string } }[] }>(w.object).volumeClaimTemplates ?? []).map(
          (t) => t.metadata?.name,
        ) as string[]),
      ]);
      for (const c of containersOf(w.template)) {
        for (const m of c.volumeMounts ?? []) expect([c.name, m.name, declared.has(m.name)]).toEqual([c.name, m.name, true]);
      }
    }
  });

  it('points PodDisruptionBudgets, HPAs, ServiceAccounts and RoleBindings at objects that exist', () => {
    for (const pdb of ofKind('PodDisruptionBudget')) {
      const selector = spec<{ selector: { matchLabels: Record<string, string> } }>(pdb).selector.matchLabels;
      expect([pdb.metadata.name, selectedBy(selector).length]).toEqual([pdb.metadata.name, 1]);
    }
    for (const hpa of ofKind('HorizontalPodAutoscaler')) {
      const s = spec<{ scaleTargetRef: { kind: string; name: string }; minReplicas: number; maxReplicas: number }>(hpa);
      const target = workload(s.scaleTargetRef.kind, s.scaleTargetRef.name);
      expect(s.minReplicas).toBeLessThanOrEqual(must(target.replicas, 'replicas'));
      expect(s.maxReplicas).toBeGreaterThan(s.minReplicas);
      for (const c of containersOf(target.template)) expect(c.resources?.requests?.['cpu']).toBeDefined();
    }
    for (const w of pods) {
      const sa = w.template.spec?.serviceAccountName;
      if (sa) expect([sa, find(all, 'ServiceAccount', sa) !== undefined]).toEqual([sa, true]);
    }
    for (const rb of ofKind('RoleBinding')) {
      const roleRef = rb['roleRef'] as { kind: string; name: string };
      expect(find(all, roleRef.kind, roleRef.name)).toBeDefined();
      for (const subject of rb['subjects'] as { kind: string; name: string }[]) {
        expect(find(all, subject.kind, subject.name)).toBeDefined();
      }
    }
    for (const ing of ofKind('Ingress')) {
      const rules = spec<{ rules: { http: { paths: { backend: { service: { name: string; port: { name?: string; number?: number } } } }[] } }[] }>(ing).rules;
      for (const path of rules.flatMap((r) => r.http.paths)) {
        const svc = must(find(all, 'Service', path.backend.service.name), path.backend.service.name);
        const ports = spec<{ ports: { name?: string; port: number }[] }>(svc).ports;
        const { name, number } = path.backend.service.port;
        expect(ports.some((p) => (name ? p.name === name : p.port === number))).toBe(true);
      }
    }
    const rbacKinds = ['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'];
    for (const o of objects.filter((x) => rbacKinds.includes(x.kind))) expect(o.apiVersion).toBe('rbac.authorization.k8s.io/v1');
  });

  it('ships the Secrets as marked examples, and the docs say how to replace them', () => {
    const secrets = ofKind('Secret');
    expect(secrets.length).toBeGreaterThan(0);
    for (const s of secrets) expect(Object.keys(s.metadata.annotations ?? {}).some((k) => k.endsWith('/replace-me'))).toBe(true);
    const files = new Set(all.filter((o) => o.object.kind === 'Secret').map((o) => o.file));
    expect([...files]).toEqual(['k8s/10-secrets.example.yaml']);
    // docs/deploy.md holds the README's deployment sections (pasted into README.md or linked from it).
    const docs = ['README.md', 'docs/deploy.md'].filter((f) => existsSync(repoPath(f))).map((f) => readRepoFile(f)).join('\n');
    expect(docs).toMatch(/[Rr]eplace the example secrets/);
    expect(docs).toContain('10-secrets.example.yaml');
  });
});

describe('k8s/ RabbitMQ', () => {
  const rabbit = workload('StatefulSet', 'rabbitmq');
  const config = dataOf(must(find(all, 'ConfigMap', 'rabbitmq-config'), 'rabbitmq-config'));
  const cluster = parseRabbitConf(must(config['20-cluster.conf'], '20-cluster.conf'), '20-cluster.conf');

  it('runs three nodes in parallel behind a PodDisruptionBudget', () => {
    const s = spec<{ replicas: number; podManagementPolicy: string; serviceName: string }>(rabbit.object);
    expect(s.replicas).toBe(3);
    expect(s.podManagementPolicy).toBe('Parallel');
    expect(ofKind('PodDisruptionBudget').some((p) => labelsMatch(spec<{ selector: { matchLabels: Record<string, string> } }>(p).selector.matchLabels, rabbit.template.metadata?.labels))).toBe(true);
    expect(find(all, 'Service', 'rabbitmq')).toBeDefined();
  });

  it('forms the cluster with the Kubernetes peer-discovery plugin, with node names it can find', () => {
    const s = spec<{ serviceName: string }>(rabbit.object);
    expect(cluster.get('cluster_formation.peer_discovery_backend')).toMatch(/^(rabbit_peer_discovery_)?k8s$/);
    expect(cluster.get('cluster_formation.k8s.service_name')).toBe(s.serviceName);
    expect(cluster.get('cluster_formation.k8s.address_type')).toBe('hostname');
    const env = envOf(rabbit);
    const suffix = must(cluster.get('cluster_formation.k8s.hostname_suffix'), 'hostname_suffix');
    expect(suffix).toBe(`.${s.serviceName}.${NAMESPACE}.svc.cluster.local`);
    expect(env['RABBITMQ_NODENAME']).toBe(`rabbit@rabbitmq-0${suffix}`);
    expect(env['RABBITMQ_USE_LONGNAME']).toBe('true');
    // the shared configuration and plugin list come from the image; the plugin is enabled there
    expect(readRepoFile('messaging/Dockerfile')).toMatch(/rabbitmq-plugins enable --offline rabbitmq_peer_discovery_k8s/);
  });

  it('lets the nodes read the headless Service endpoints (RBAC for peer discovery)', () => {
    const binding = must(
      ofKind('RoleBinding').find((rb) => (rb['subjects'] as { name: string }[]).some((sub) => sub.name === rabbit.template.spec?.serviceAccountName)),
      'RoleBinding for rabbitmq',
    );
    const role = must(find(all, 'Role', (binding['roleRef'] as { name: string }).name), 'Role');
    const rules = role['rules'] as { resources: string[]; verbs: string[] }[];
    expect(rules.some((r) => r.resources.includes('endpoints') && r.verbs.includes('get'))).toBe(true);
  });

  it('takes the Erlang cookie and the credentials from the Secret', () => {
    const env = container(rabbit).env ?? [];
    for (const name of ['RABBITMQ_ERLANG_COOKIE', 'RABBITMQ_DEFAULT_USER', 'RABBITMQ_DEFAULT_PASS']) {
      expect(env.find((e) => e.name === name)?.valueFrom?.secretKeyRef?.name).toBe('rabbitmq');
    }
  });

  it('lets no client reach a node before all three run, so quorum queues are declared on all three', () => {
    // RabbitMQ 3.10 fixes a quorum queue's members when it is declared (no later growth).
    const c = container(rabbit) as { startupProbe?: { exec?: { command?: string[] } } };
    const probe = (c.startupProbe?.exec?.command ?? []).join(' ');
    expect(probe).toContain('rabbit_nodes:all_running()');
    expect(probe).toContain(`-ge ${spec<{ replicas: number }>(rabbit.object).replicas}`);
    for (const [key, value] of Object.entries(config)) {
      const keys = [...parseRabbitConf(value, key).keys()];
      expect([key, keys.filter((k) => k.startsWith('quorum_queue.continuous_membership_reconciliation'))]).toEqual([key, []]);
    }
  });

  it('sizes RabbitMQ’s memory watermark by the container limit', () => {
    const resources = parseRabbitConf(must(config['40-resources.conf'], '40-resources.conf'), '40-resources.conf');
    const limit = container(rabbit).resources?.limits?.['memory'];
    const toBytes = (q: string) => {
      const m = must(/^(\d+)(Ki|Mi|Gi)?$/.exec(q), `quantity ${q}`);
      return Number(m[1]) * ({ Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3 }[m[2] ?? ''] ?? 1);
    };
    expect(Number(resources.get('total_memory_available_override_value'))).toBe(toBytes(String(limit)));
  });

  it('mounts each rabbitmq-config key into conf.d, after the shared 10-barback.conf', () => {
    const mounts = (container(rabbit).volumeMounts ?? []).filter((m) => m.subPath);
    expect(mounts.map((m) => m.mountPath).sort()).toEqual(Object.keys(config).map((k) => `/etc/rabbitmq/conf.d/${k}`).sort());
    for (const key of Object.keys(config)) expect(key > '10-barback.conf').toBe(true);
  });
});

describe('k8s/ PostgreSQL / Patroni', () => {
  const db = workload('StatefulSet', 'db');
  const env = envOf(db);

  it('runs 2–3 members with the Kubernetes DCS, labels Patroni can select them by', () => {
    const replicas = must(db.replicas, 'replicas');
    expect(replicas).toBeGreaterThanOrEqual(2);
    expect(replicas).toBeLessThanOrEqual(3);
    const labels = db.template.metadata?.labels ?? {};
    // Patroni reads the value as a YAML flow mapping.
    const patroniLabels = parseYaml(must(env['PATRONI_KUBERNETES_LABELS'], 'PATRONI_KUBERNETES_LABELS')) as Record<string, string>;
    expect(Object.keys(patroniLabels).length).toBeGreaterThan(0);
    expect(labelsMatch(patroniLabels, labels)).toBe(true);
    expect(labels['cluster-name']).toBe(env['PATRONI_SCOPE']);
    expect(env['PATRONI_KUBERNETES_USE_ENDPOINTS']).toBe('false');
    expect(env['PATRONI_KUBERNETES_NAMESPACE']).toBe(NAMESPACE);
    expect(env['PATRONI_RESTAPI_CONNECT_ADDRESS']).toBe('10.0.0.10:8008');
    expect(env['PATRONI_POSTGRESQL_CONNECT_ADDRESS']).toBe('10.0.0.10:5432');
    expect(env['PATRONI_ETCD3_HOSTS']).toBeUndefined();
  });

  it('routes db-rw to the leader and db-r to the standbys by Patroni’s role label', () => {
    const rw = spec<{ selector: Record<string, string> }>(must(find(all, 'Service', 'db-rw'), 'db-rw')).selector;
    const r = spec<{ selector: Record<string, string> }>(must(find(all, 'Service', 'db-r'), 'db-r')).selector;
    expect(rw['role']).toBe('master');
    expect(r['role']).toBe('replica');
    for (const selector of [rw, r]) {
      expect(labelsMatch(selector, db.template.metadata?.labels)).toBe(false); // only with the role label
      expect(selectedBy(selector)).toEqual([db]);
      expect(selector['cluster-name']).toBe(env['PATRONI_SCOPE']);
    }
  });

  it('lets Patroni keep its state in ConfigMaps and label its pods (RBAC)', () => {
    const role = must(find(all, 'Role', 'patroni'), 'Role patroni');
    const rules = role['rules'] as { resources: string[]; verbs: string[] }[];
    const can = (resource: string, verb: string) => rules.some((x) => x.resources.includes(resource) && x.verbs.includes(verb));
    for (const verb of ['create', 'get', 'list', 'patch', 'update', 'watch', 'delete']) expect([verb, can('configmaps', verb)]).toEqual([verb, true]);
    for (const verb of ['get', 'list', 'patch', 'watch']) expect([verb, can('pods', verb)]).toEqual([verb, true]);
    const binding = must(find(all, 'RoleBinding', 'patroni'), 'RoleBinding patroni');
    expect((binding['subjects'] as { name: string }[]).map((s) => s.name)).toEqual([db.template.spec?.serviceAccountName]);
  });

  it('creates the database and user the workers log in with', () => {
    const worker = envOf(workload('Deployment', 'back-end'));
    expect(env['BARBACK_DB_NAME']).toBe(worker['DB_NAME']);
    expect(env['BARBACK_DB_USER']).toBe(worker['DB_USER']);
    expect(env['BARBACK_DB_PASSWORD']).toBe(worker['DB_PASSWORD']);
  });
});

describe('k8s/ applications', () => {
  const backEnd = workload('Deployment', 'back-end');
  const frontEnd = workload('Deployment', 'front-end');

  it('runs 3 workers with an autoscaler and 3 front ends behind a Service and an Ingress', () => {
    expect(backEnd.replicas).toBe(3);
    expect(frontEnd.replicas).toBe(3);
    expect(ofKind('HorizontalPodAutoscaler').map((h) => spec<{ scaleTargetRef: { name: string } }>(h).scaleTargetRef.name)).toEqual(['back-end']);
    expect(ofKind('Ingress').length).toBe(1);
    expect(selectedBy(spec<{ selector: Record<string, string> }>(must(find(all, 'Service', 'front-end'), 'Service front-end')).selector)).toEqual([frontEnd]);
  });

  it('gives the workers the failover-proof database Services and the broker’s client Service', () => {
    const env = envOf(backEnd);
    expect(env['DB_HOSTS']).toBe('db-rw:5432,db-r:5432');
    for (const hostPort of (env['DB_HOSTS'] ?? '').split(',')) expect(find(all, 'Service', hostPort.split(':')[0] ?? '')).toBeDefined();
    const config = loadWorkerConfig(env);
    expect(config.amqpUrls.map((u) => new URL(u).host)).toEqual(['rabbitmq:5672']);
    const rabbitSecret = dataOf(must(find(all, 'Secret', 'rabbitmq'), 'Secret rabbitmq'));
    expect(decodeURIComponent(new URL(config.amqpUrls[0] ?? '').password)).toBe(rabbitSecret['password']);
    expect(config.healthPort).toBe(container(backEnd).ports?.find((p) => p.name === 'health')?.containerPort);
  });

  it('passes the front end’s own configuration check, on the port its probes use', () => {
    const config = loadFrontEndConfig(envOf(frontEnd));
    expect(config.host).toBe('0.0.0.0');
    expect(config.trustProxy).toBe(true);
    expect(config.port).toBe(container(frontEnd).ports?.find((p) => p.name === 'http')?.containerPort);
    expect(config.amqpUrls.map((u) => new URL(u).host)).toEqual(['rabbitmq:5672']);
  });

  it('probes /healthz for liveness and /readyz for readiness', () => {
    for (const w of [backEnd, frontEnd]) {
      expect(container(w).livenessProbe?.httpGet?.path).toBe('/healthz');
      expect(container(w).readinessProbe?.httpGet?.path).toBe('/readyz');
    }
  });
});

describe('k8s/ NetworkPolicies', () => {
  type Peer = { podSelector?: { matchLabels?: Record<string, string> }; namespaceSelector?: unknown; ipBlock?: unknown };
  type Rule = { from?: Peer[]; to?: Peer[]; ports?: { port?: number | string; protocol?: string }[] };
  type PolicySpec = { podSelector: { matchLabels?: Record<string, string> }; policyTypes: string[]; ingress?: Rule[]; egress?: Rule[] };
  const policies = ofKind('NetworkPolicy').map((p) => ({ name: p.metadata.name, spec: spec<PolicySpec>(p) }));
  const nameOf = (w: Workload) => w.object.metadata.name;
  const peersOf = (rules: Rule[] | undefined, side: 'from' | 'to') =>
    (rules ?? []).flatMap((r) => (r[side] ?? [{}]).map((peer) => ({ peer, ports: r.ports ?? [] })));

  it('deny all ingress by default, and each policy applies to some pods', () => {
    expect(policies.some((p) => Object.keys(p.spec.podSelector.matchLabels ?? {}).length === 0 && p.spec.policyTypes.includes('Ingress') && !p.spec.ingress?.length)).toBe(true);
    for (const p of policies) expect([p.name, selectedBy(p.spec.podSelector.matchLabels ?? {}).length > 0]).toEqual([p.name, true]);
  });

  it('let only the back end (and the other members) reach PostgreSQL', () => {
    const dbPolicies = policies.filter((p) => selectedBy(p.spec.podSelector.matchLabels ?? {}).some((w) => nameOf(w) === 'db'));
    const sources = dbPolicies.flatMap((p) => peersOf(p.spec.ingress, 'from'));
    expect(sources.length).toBeGreaterThan(0);
    for (const { peer } of sources) {
      expect(peer.namespaceSelector ?? peer.ipBlock).toBeUndefined();
      expect(selectedBy(peer.podSelector?.matchLabels ?? {}).map(nameOf).every((n) => n === 'back-end' || n === 'db')).toBe(true);
      expect(peer.podSelector?.matchLabels).toBeDefined();
    }
    expect(sources.some(({ peer }) => selectedBy(peer.podSelector?.matchLabels ?? {}).map(nameOf).includes('back-end'))).toBe(true);
  });

  it('let the front end reach RabbitMQ only (and DNS)', () => {
    const frontPolicies = policies.filter((p) => selectedBy(p.spec.podSelector.matchLabels ?? {}).some((w) => nameOf(w) === 'front-end'));
    expect(frontPolicies.some((p) => p.spec.policyTypes.includes('Egress'))).toBe(true);
    for (const { peer, ports } of frontPolicies.flatMap((p) => peersOf(p.spec.egress, 'to'))) {
      if (peer.namespaceSelector) {
        // DNS only
        expect(ports.map((p) => p.port)).toEqual([53, 53]);
        continue;
      }
      expect(peer.ipBlock).toBeUndefined();
      expect(selectedBy(peer.podSelector?.matchLabels ?? {}).map(nameOf)).toEqual(['rabbitmq']);
      expect(ports.map((p) => p.port)).toEqual([5672]);
    }
  });

  it('let the front end and the back end reach RabbitMQ’s AMQP port', () => {
    const rabbitPolicies = policies.filter((p) => selectedBy(p.spec.podSelector.matchLabels ?? {}).some((w) => nameOf(w) === 'rabbitmq'));
    const amqpSources = rabbitPolicies
      .flatMap((p) => peersOf(p.spec.ingress, 'from'))
      .filter(({ ports }) => ports.some((x) => x.port === 5672))
      .flatMap(({ peer }) => selectedBy(peer.podSelector?.matchLabels ?? {}).map(nameOf));
    expect(new Set(amqpSources)).toEqual(new Set(['front-end', 'back-end', 'rabbitmq']));
  });
});
