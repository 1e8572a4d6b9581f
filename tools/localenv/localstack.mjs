// @ts-check
// LocalStack (community 4.14.0, the last release that runs without an auth token) on the host, beside moto:
// SQS and S3 only (its DynamoDB downloads DynamoDB Local at run time, so DynamoDB stays on moto).
// Installed into a virtualenv under the cache on a Python >= 3.12 found on this machine, with the pins of
// upstream's requirements-runtime.txt at v4.14.0 (env/localstack/constraints.txt); without them it will not start.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { paths, ports, root, stateDir, versions } from './config.mjs';
import { run, runningPid, say, startDaemon, stopDaemon, waitReady } from './proc.mjs';

const venv = () => paths.localstackVenv;
const python = () => path.join(venv(), 'bin', 'python');
const constraints = path.join(root, 'env', 'localstack', 'constraints.txt');
/** LocalStack's own state (FILESYSTEM_ROOT, volume dir): under the state dir, discarded by `down`. */
const lsState = () => path.join(stateDir, 'localstack');

/** @param {string} exe @returns {[number, number] | undefined} the version of a Python that actually runs */
function pythonVersion(exe) {
  const r = spawnSync(exe, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], {
    encoding: 'utf8',
    timeout: 15_000,
  });
  if (r.status !== 0 || !r.stdout) return undefined;
  const [maj, min] = r.stdout.trim().split('.').map(Number);
  return maj === undefined || min === undefined ? undefined : [maj, min];
}

/**
 * A Python >= 3.12: `python3.13`/`python3.12` on PATH (a pyenv shim counts only when it really runs),
 * then pyenv's versions folder. Throws naming what is missing when there is none.
 */
export function findPython312() {
  /** @type {string[]} */
  const tried = [];
  for (const name of ['python3.14', 'python3.13', 'python3.12']) {
    tried.push(name);
    const v = pythonVersion(name);
    if (v && (v[0] > 3 || (v[0] === 3 && v[1] >= 12))) return name;
  }
  const pyenvRoot =
    process.env.PYENV_ROOT ??
    (spawnSync('pyenv', ['root'], { encoding: 'utf8' }).stdout?.trim() ||
      path.join(process.env.HOME ?? '/root', '.pyenv'));
  const versionsDir = path.join(pyenvRoot, 'versions');
  const candidates = fs.existsSync(versionsDir)
    ? fs
        .readdirSync(versionsDir)
        .filter((d) => /^3\.(1[2-9]|[2-9]\d)(\.\d+)?$/.test(d))
        .sort((a, b) => b.localeCompare(a, undefined, { numeric: true }))
    : [];
  for (const d of candidates) {
    const exe = path.join(versionsDir, d, 'bin', 'python3');
    tried.push(exe);
    if (pythonVersion(exe)) return exe;
  }
  throw new Error(
    `LocalStack ${versions.localstack} needs Python 3.12 or newer, and none was found (tried ${tried.join(', ')}; ` +
      `no 3.12+ under ${versionsDir}). Install one, e.g. \`pyenv install 3.12\` or your distribution's python3.12 with its venv module.`,
  );
}

/** localstack-core[runtime] in its own virtualenv, keyed by version; skipped when present. */
export function ensureLocalstack() {
  const marker = path.join(venv(), '.installed');
  if (fs.existsSync(marker)) return;
  const py = findPython312();
  say(`installing LocalStack ${versions.localstack} into ${venv()} with ${py} (about 2 min the first time)`);
  // The marker is written last: an interrupted install is redone from scratch.
  fs.rmSync(venv(), { recursive: true, force: true });
  run(py, ['-m', 'venv', venv()]);
  fs.mkdirSync(paths.logs, { recursive: true });
  const log = path.join(paths.logs, 'localstack-install.log');
  run(
    path.join(venv(), 'bin', 'pip'),
    [
      'install',
      '--quiet',
      '--disable-pip-version-check',
      '-c',
      constraints,
      `localstack-core[runtime]==${versions.localstack}`,
    ],
    { log },
  );
  fs.writeFileSync(marker, new Date().toISOString());
}

export const localstackEndpoint = () => `http://localhost:${ports.localstack}`;

/** @returns {Promise<{ version?: string, edition?: string, services?: Record<string, string> } | undefined>} */
export async function localstackHealth() {
  try {
    const r = await fetch(`http://127.0.0.1:${ports.localstack}/_localstack/health`, {
      signal: AbortSignal.timeout(3000),
    });
    return r.ok ? /** @type {any} */ (await r.json()) : undefined;
  } catch {
    return undefined;
  }
}

export async function localstackUp() {
  if (runningPid('localstack')) return false;
  const fsRoot = path.join(lsState(), 'filesystem');
  // Without this marker a host-mode LocalStack reports its edition as "unknown".
  fs.mkdirSync(path.join(fsRoot, 'usr', 'lib', 'localstack'), { recursive: true });
  fs.writeFileSync(path.join(fsRoot, 'usr', 'lib', 'localstack', '.community-version'), '');
  const volume = path.join(lsState(), 'volume');
  const tmp = path.join(lsState(), 'tmp');
  fs.mkdirSync(volume, { recursive: true });
  fs.mkdirSync(tmp, { recursive: true });
  startDaemon('localstack', python(), ['-m', 'localstack.runtime.main'], {
    cwd: lsState(),
    env: {
      ...process.env,
      GATEWAY_LISTEN: `127.0.0.1:${ports.localstack}`,
      SERVICES: 'sqs,s3',
      // This machine may have /.dockerenv: without this LocalStack believes it runs in its own container,
      // writes to /var/lib/localstack and removes /tmp/localstack on exit.
      OVERRIDE_IN_DOCKER: '0',
      DNS_ADDRESS: '0',
      SKIP_SSL_CERT_DOWNLOAD: '1',
      DISABLE_EVENTS: '1',
      FILESYSTEM_ROOT: fsRoot,
      LOCALSTACK_VOLUME_DIR: volume,
      TMPDIR: tmp,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_DEFAULT_REGION: 'us-east-1',
    },
  });
  await waitReady(
    'localstack',
    async () => {
      const h = await localstackHealth();
      return h?.version !== undefined && h.services?.sqs !== undefined && h.services.s3 !== undefined;
    },
    90_000,
  );
  return true;
}

export async function localstackDown() {
  const stopped = await stopDaemon('localstack');
  fs.rmSync(lsState(), { recursive: true, force: true });
  return stopped;
}
