/**
 * The Kubernetes manifests in k8s/: loading, validation against the API
 * schemas (kubernetes-models), a strict unknown-field check (the API server
 * rejects unknown fields; the JSON schemas do not), and helpers for the
 * semantic checks.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import type { IIoK8sApiCoreV1Container as Container } from 'kubernetes-models/v1/Container';
import type { IIoK8sApiCoreV1PodTemplateSpec as PodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';
import { isRecord, parseYamlDocuments, readRepoFile, repoPath, repoRoot } from './repo.js';

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  // The rest is checked against the API schema, then read through typed helpers.
  [key: string]: unknown;
}

export interface LoadedObject {
  file: string;
  object: K8sObject;
}

export const K8S_DIR = 'k8s';

/** Every .yaml/.yml file directly in k8s/, which is what `kubectl apply -f k8s/` reads. */
export function manifestFiles(): string[] {
  return readdirSync(repoPath(K8S_DIR))
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => join(K8S_DIR, f));
}

export function loadManifests(): LoadedObject[] {
  return manifestFiles().flatMap((file) =>
    parseYamlDocuments(readRepoFile(file), file).map((doc) => {
      if (!isRecord(doc)) throw new Error(`${file}: a document is not a mapping`);
      const { apiVersion, kind, metadata } = doc;
      if (typeof apiVersion !== 'string' || typeof kind !== 'string' || !isRecord(metadata) || typeof metadata['name'] !== 'string') {
        throw new Error(`${file}: every document needs apiVersion, kind and metadata.name`);
      }
      return { file, object: doc as K8sObject };
    }),
  );
}

/** kubernetes-models module of an apiVersion/kind, e.g. apps/v1 StatefulSet -> kubernetes-models/apps/v1/StatefulSet. */
export function modelModule(apiVersion: string, kind: string): string {
  return `kubernetes-models/${apiVersion}/${kind}`;
}

interface ModelInstance {
  validate(): void;
}
type ModelClass = new (data: unknown) => ModelInstance;

/** Validates one object against its API schema; returns the error text, or undefined. */
export async function validateWithModel(object: K8sObject): Promise<string | undefined> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(modelModule(object.apiVersion, object.kind))) as Record<string, unknown>;
  } catch (err) {
    return `${object.apiVersion} ${object.kind} is not a known Kubernetes API kind (${(err as Error).message.split('\n')[0]})`;
  }
  const Model = mod[object.kind] as ModelClass | undefined;
  if (typeof Model !== 'function') return `kubernetes-models has no ${object.kind} in ${object.apiVersion}`;
  try {
    new Model(object).validate();
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

// ---------------------------------------------------------------------------
// Unknown fields, checked against kubernetes-models' TypeScript declarations
// (generated from the same OpenAPI schemas).

export class FieldChecker {
  private readonly checker: ts.TypeChecker;
  private readonly types = new Map<string, ts.Type>();

  constructor(kinds: { apiVersion: string; kind: string }[]) {
    const unique = [...new Map(kinds.map((k) => [`${k.apiVersion}/${k.kind}`, k])).values()];
    const fileName = join(repoRoot, '__k8s_field_check__.ts');
    const source =
      unique.map((k, i) => `import type { I${k.kind} as T${i} } from '${modelModule(k.apiVersion, k.kind)}';`).join('\n') +
      '\n' +
      unique.map((_k, i) => `export type K${i} = T${i};`).join('\n') +
      '\n';
    const options: ts.CompilerOptions = {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: [],
    };
    const host = ts.createCompilerHost(options);
    const readFile = host.readFile.bind(host);
    const getSourceFile = host.getSourceFile.bind(host);
    host.readFile = (f) => (f === fileName ? source : readFile(f));
    host.fileExists = ((exists) => (f: string) => f === fileName || exists(f))(host.fileExists.bind(host));
    host.getSourceFile = (f, lang, onError, create) =>
      f === fileName ? ts.createSourceFile(f, source, lang, true, ts.ScriptKind.TS) : getSourceFile(f, lang, onError, create);
    const program = ts.createProgram({ rootNames: [fileName], options, host });
    const diagnostics = ts.getPreEmitDiagnostics(program, program.getSourceFile(fileName));
    if (diagnostics.length) {
      throw new Error(diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('\n'));
    }
    this.checker = program.getTypeChecker();
    const sf = program.getSourceFile(fileName);
    if (!sf) throw new Error('type-check source missing');
    const moduleSymbol = this.checker.getSymbolAtLocation(sf);
    if (!moduleSymbol) throw new Error('type-check module symbol missing');
    for (const exp of this.checker.getExportsOfModule(moduleSymbol)) {
      const i = Number(exp.name.slice(1));
      const k = unique[i];
      if (k) this.types.set(`${k.apiVersion}/${k.kind}`, this.checker.getDeclaredTypeOfSymbol(exp));
    }
  }

  /** Paths of fields the API does not know, e.g. `spec.template.spec.containers[0].readinessProbes`. */
  unknownFields(object: K8sObject): string[] {
    const type = this.types.get(`${object.apiVersion}/${object.kind}`);
    if (!type) return [`no type for ${object.apiVersion}/${object.kind}`];
    const out: string[] = [];
    this.walk(object, type, '', out);
    return out;
  }

  private walk(value: unknown, type: ts.Type, path: string, out: string[]): void {
    if (value === null || typeof value !== 'object') return;
    const t = this.checker.getNonNullableType(type);
    if (t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return;
    if (Array.isArray(value)) {
      const element = this.checker.isArrayType(t) ? this.checker.getTypeArguments(t as ts.TypeReference)[0] : undefined;
      if (element) value.forEach((v, i) => this.walk(v, element, `${path}[${i}]`, out));
      return;
    }
    // An object value of a union type (rare in the API): check against the object members only.
    const candidates = t.isUnion() ? t.types.filter((m) => m.flags & ts.TypeFlags.Object) : [t];
    const target = candidates[0];
    if (!target || candidates.length > 1) return;
    for (const [key, child] of Object.entries(value)) {
      const childPath = path ? `${path}.${key}` : key;
      const prop = this.checker.getPropertyOfType(target, key);
      if (prop) {
        this.walk(child, this.checker.getTypeOfSymbol(prop), childPath, out);
        continue;
      }
      const index = this.checker.getIndexInfoOfType(target, ts.IndexKind.String);
      if (index) this.walk(child, index.type, childPath, out);
      else out.push(childPath);
    }
  }
}

// ---------------------------------------------------------------------------
// Workloads

export interface Workload {
  file: string;
  object: K8sObject;
  template: PodTemplateSpec;
  replicas: number | undefined;
  selector: Record<string, string>;
}

export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicaSet'];

export function workloads(all: LoadedObject[]): Workload[] {
  return all
    .filter(({ object }) => WORKLOAD_KINDS.includes(object.kind))
    .map(({ file, object }) => {
      const spec = object['spec'] as { template?: PodTemplateSpec; replicas?: number; selector?: { matchLabels?: Record<string, string> } };
      if (!spec.template) throw new Error(`${object.kind}/${object.metadata.name} has no pod template`);
      return { file, object, template: spec.template, replicas: spec.replicas, selector: spec.selector?.matchLabels ?? {} };
    });
}

export function containersOf(template: PodTemplateSpec): Container[] {
  return [...(template.spec?.initContainers ?? []), ...(template.spec?.containers ?? [])];
}

export function labelsMatch(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

export function find(all: LoadedObject[], kind: string, name: string): K8sObject | undefined {
  return all.find((o) => o.object.kind === kind && o.object.metadata.name === name)?.object;
}

/** Data of a Secret (stringData, or base64 data) or a ConfigMap. */
export function dataOf(object: K8sObject): Record<string, string> {
  const out: Record<string, string> = {};
  const data = object['data'];
  if (isRecord(data)) {
    for (const [k, v] of Object.entries(data)) {
      out[k] = object.kind === 'Secret' ? Buffer.from(String(v), 'base64').toString('utf8') : String(v);
    }
  }
  const stringData = object['stringData'];
  if (isRecord(stringData)) for (const [k, v] of Object.entries(stringData)) out[k] = String(v);
  return out;
}

/**
 * The environment a container would get, resolved from the manifests:
 * envFrom ConfigMaps/Secrets, value, secretKeyRef, configMapKeyRef, fieldRef
 * (from `fields`), and $(VAR) references to variables defined earlier.
 */
export function resolveEnv(all: LoadedObject[], container: Container, fields: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  const source = (kind: 'Secret' | 'ConfigMap', name: string | undefined): Record<string, string> => {
    const obj = name ? find(all, kind, name) : undefined;
    if (!obj) throw new Error(`${container.name}: ${kind} ${name} is not in the manifests`);
    return dataOf(obj);
  };
  for (const from of container.envFrom ?? []) {
    if (from.configMapRef) Object.assign(env, prefixed(source('ConfigMap', from.configMapRef.name), from.prefix));
    if (from.secretRef) Object.assign(env, prefixed(source('Secret', from.secretRef.name), from.prefix));
  }
  for (const e of container.env ?? []) {
    if (e.value !== undefined) {
      env[e.name] = expandRefs(e.value, env);
    } else if (e.valueFrom?.secretKeyRef) {
      const { name, key } = e.valueFrom.secretKeyRef;
      const value = source('Secret', name)[key];
      if (value === undefined) throw new Error(`${container.name}: Secret ${name} has no key ${key}`);
      env[e.name] = value;
    } else if (e.valueFrom?.configMapKeyRef) {
      const { name, key } = e.valueFrom.configMapKeyRef;
      const value = source('ConfigMap', name)[key];
      if (value === undefined) throw new Error(`${container.name}: ConfigMap ${name} has no key ${key}`);
      env[e.name] = value;
    } else if (e.valueFrom?.fieldRef) {
      const value = fields[e.valueFrom.fieldRef.fieldPath];
      if (value === undefined) throw new Error(`${container.name}: no test value for fieldRef ${e.valueFrom.fieldRef.fieldPath}`);
      env[e.name] = value;
    } else {
      env[e.name] = '';
    }
  }
  return env;
}

function prefixed(data: Record<string, string>, prefix: string | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [`${prefix ?? ''}${k}`, v]));
}

/** Kubernetes' $(VAR) expansion: defined variables are replaced, $$ escapes, others stay as they are. */
export function expandRefs(value: string, env: Record<string, string>): string {
  return value.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (all, name: string | undefined) => {
    if (all === '$$') return '$';
    return name !== undefined && env[name] !== undefined ? env[name] : all;
  });
}

/**
 * $(VAR) references in a container's env values that do not name an earlier
 * variable (Kubernetes would leave them as literal text).
 */
export function danglingRefs(container: Container, predefined: Iterable<string> = []): string[] {
  const defined = new Set<string>(predefined);
  const out: string[] = [];
  for (const e of container.env ?? []) {
    for (const m of (e.value ?? '').matchAll(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g)) {
      const name = m[1];
      if (name !== undefined && !defined.has(name)) out.push(`${e.name} -> $(${name})`);
    }
    defined.add(e.name);
  }
  return out;
}
