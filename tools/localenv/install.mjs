// @ts-check
// Installs what the environment needs, once: Debian packages, npm dependencies, the Kubernetes binaries
// (built from the k8s.io/kubernetes Go module), moto in a virtualenv, and code-server on its own Node 24.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { aptPackages, cacheDir, paths, root, versions } from './config.mjs';
import { capture, run, say } from './proc.mjs';
import { ensureVelero } from './velero.mjs';
import { nestedEnv } from './nestedEnv.mjs';
import { buildOnce } from './buildLock.mjs';
import { ensureLocalstack } from './localstack.mjs';

export const kubeBinaries = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubectl', 'kwok'];

export function ensureAptPackages() {
  const missing = aptPackages.filter(
    (p) =>
      spawnSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8' }).stdout?.includes(
        'install ok installed',
      ) !== true,
  );
  if (missing.length === 0) return;
  const asRoot = process.getuid?.() === 0;
  const sudo = asRoot ? [] : ['sudo', '-n'];
  say(`installing Debian packages: ${missing.join(' ')}`);
  try {
    const env = nestedEnv({ DEBIAN_FRONTEND: 'noninteractive' });
    run(sudo[0] ?? 'apt-get', [...sudo.slice(1), ...(asRoot ? [] : ['apt-get']), 'update', '-qq'], { env });
    run(sudo[0] ?? 'apt-get', [...sudo.slice(1), ...(asRoot ? [] : ['apt-get']), 'install', '-y', '-qq', ...missing], {
      env,
    });
  } catch (e) {
    throw new Error(
      `Debian packages missing: ${missing.join(' ')}. Install them with: sudo apt-get install -y ${missing.join(' ')}\n(${/** @type {Error} */ (e).message})`,
      { cause: e },
    );
  }
}

export function ensureNodeModules() {
  const marker = path.join(root, 'node_modules', '.package-lock.json');
  const lock = path.join(root, 'package-lock.json');
  if (fs.existsSync(marker) && fs.statSync(marker).mtimeMs >= fs.statSync(lock).mtimeMs) return;
  say('installing npm dependencies (npm ci)');
  run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root });
}

/** Go builds use the cache's module and build caches, the local toolchain, no cgo. */
export function goEnv() {
  return nestedEnv({
    GOMODCACHE: paths.goModCache,
    GOCACHE: paths.goBuildCache,
    GOTOOLCHAIN: 'local',
    GOFLAGS: '-modcacherw',
    CGO_ENABLED: '0',
  });
}

/** Builds kube-apiserver, kube-controller-manager, kube-scheduler, kubectl and kwok unless this version is cached. */
export function ensureKubeBinaries() {
  const built = () => kubeBinaries.every((b) => fs.existsSync(path.join(paths.kubeBin, b)));
  buildOnce(paths.kubeBin, `Kubernetes ${versions.kubernetes}`, built, buildKubeBinaries);
}

function buildKubeBinaries() {
  const goVersion = capture('go', ['env', 'GOVERSION']).trim();
  const [, minor] = /^go1\.(\d+)/.exec(goVersion) ?? [];
  if (!minor || Number(minor) < 24)
    throw new Error(`Go 1.24 or newer is needed to build Kubernetes ${versions.kubernetes}; found ${goVersion}`);
  // A build of its own per process: two set-ups started at once must not write into each other's output.
  const tmp = `${paths.kubeBin}.partial-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  fs.mkdirSync(paths.logs, { recursive: true });
  const log = path.join(paths.logs, 'go-build.log');
  const v = versions.kubernetes;
  const [maj, min] = v.slice(1).split('.');
  const ld = ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version']
    .flatMap((p) => [
      `-X ${p}.gitVersion=${v}`,
      `-X ${p}.gitMajor=${maj}`,
      `-X ${p}.gitMinor=${min}`,
      `-X ${p}.gitTreeState=clean`,
    ])
    .join(' ');
  say(`building Kubernetes ${v} from the Go module (several minutes the first time; log: ${log})`);
  const started = Date.now();
  run(
    'go',
    [
      'build',
      '-trimpath',
      '-ldflags',
      `-s -w ${ld}`,
      '-o',
      `${tmp}/`,
      'k8s.io/kubernetes/cmd/kube-apiserver',
      'k8s.io/kubernetes/cmd/kube-controller-manager',
      'k8s.io/kubernetes/cmd/kube-scheduler',
      'k8s.io/kubernetes/cmd/kubectl',
    ],
    { cwd: path.join(root, 'env', 'k8s'), env: goEnv(), log },
  );
  say(`building kwok ${versions.kwok}`);
  run('go', ['build', '-trimpath', '-ldflags', '-s -w', '-o', `${tmp}/`, 'sigs.k8s.io/kwok/cmd/kwok'], {
    cwd: path.join(root, 'env', 'kwok'),
    env: goEnv(),
    log,
  });
  if (kubeBinaries.every((b) => fs.existsSync(path.join(paths.kubeBin, b))))
    fs.rmSync(tmp, { recursive: true, force: true });
  else {
    fs.rmSync(paths.kubeBin, { recursive: true, force: true });
    fs.renameSync(tmp, paths.kubeBin);
  }
  say(`built in ${Math.round((Date.now() - started) / 1000)} s`);
}

/** moto server in a project-local virtualenv. */
export function ensureMoto() {
  const bin = path.join(paths.motoVenv, 'bin', 'moto_server');
  if (fs.existsSync(bin)) return;
  say(`installing moto ${versions.moto} into ${paths.motoVenv}`);
  fs.rmSync(paths.motoVenv, { recursive: true, force: true });
  run('python3', ['-m', 'venv', paths.motoVenv]);
  run(path.join(paths.motoVenv, 'bin', 'pip'), [
    'install',
    '--quiet',
    '--disable-pip-version-check',
    '-r',
    path.join(root, 'env', 'aws', 'requirements.txt'),
  ]);
}

function nodePlatformPackage() {
  const arch = process.arch === 'arm64' ? 'arm64' : 'x64';
  return `node-linux-${arch}`;
}

/** Node 24 from the npm registry, kept apart from the system Node; returns its folder. */
export function node24Home() {
  return path.join(paths.node24, 'node_modules', nodePlatformPackage());
}

export function ensureNode24() {
  if (fs.existsSync(path.join(node24Home(), 'bin', 'node'))) return;
  say(`installing Node ${versions.node24} (the tools, the tests, the CLI and code-server run on it)`);
  fs.mkdirSync(paths.node24, { recursive: true });
  fs.writeFileSync(path.join(paths.node24, 'package.json'), JSON.stringify({ name: 'drydock-node24', private: true }));
  run('npm', ['install', '--no-audit', '--no-fund', '--no-save', `${nodePlatformPackage()}@${versions.node24}`], {
    cwd: paths.node24,
  });
}

/** Environment in which code-server (and its npm install) run on Node 24. */
export function node24Env(extra = {}) {
  const clean = nestedEnv();
  return nestedEnv({
    PATH: `${path.join(node24Home(), 'bin')}${path.delimiter}${clean.PATH ?? ''}`,
    npm_config_nodedir: node24Home(),
    ...extra,
  });
}

export function codeServerBin() {
  return path.join(paths.codeServer, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

export function ensureCodeServer() {
  ensureNode24();
  const marker = path.join(paths.codeServer, '.installed');
  if (fs.existsSync(marker)) return;
  say(`installing code-server ${versions.codeServer} (about 3–4 min the first time)`);
  fs.rmSync(paths.codeServer, { recursive: true, force: true });
  fs.mkdirSync(paths.codeServer, { recursive: true });
  fs.writeFileSync(
    path.join(paths.codeServer, 'package.json'),
    JSON.stringify({ name: 'drydock-code-server', private: true }),
  );
  const log = path.join(cacheDir, 'code-server-install.log');
  // code-server's postinstall runs nested npm installs that build native modules: allow their scripts there.
  run('npm', ['install', '--no-audit', '--no-fund', '--no-save', `code-server@${versions.codeServer}`], {
    cwd: paths.codeServer,
    env: node24Env({ npm_config_dangerously_allow_all_scripts: 'true' }),
    log,
  });
  if (!fs.existsSync(path.join(paths.codeServer, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules'))) {
    throw new Error(`code-server installed without its VS Code dependencies (its postinstall did not run); see ${log}`);
  }
  fs.writeFileSync(marker, new Date().toISOString());
}

/** Everything: what `npm test` and `npm run demo` need on a fresh machine. */
export function ensureAll({ codeServer = true } = {}) {
  ensureAptPackages();
  ensureNodeModules();
  ensureMoto();
  ensureLocalstack();
  ensureKubeBinaries();
  ensureVelero(); // Velero + its AWS plugin, built from the Go module proxy, for the Velero interop tests
  if (codeServer) ensureCodeServer();
}
