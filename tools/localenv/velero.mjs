// @ts-check
// Real Velero for the interop tests: the server/CLI built from its Go module (wrapper module env/velero) and
// velero-plugin-for-aws, cached by version; a harness that runs `velero server` out of cluster against the running
// local environment with moto's S3 as its backup storage location, and stops it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { awsEndpoint, cacheDir, paths, root, stateDir } from './config.mjs';
import { capture, freePort, logFile, run, runningPid, say, startDaemon, stopDaemon, waitReady } from './proc.mjs';
import { goEnv } from './install.mjs';
import { buildOnce } from './buildLock.mjs';

export const veleroVersions = { velero: 'v1.18.3', pluginForAws: 'v1.14.3' };
export const veleroBinDir = path.join(
  cacheDir,
  `velero-${veleroVersions.velero}-aws-${veleroVersions.pluginForAws}`,
  'bin',
);
export const veleroBin = path.join(veleroBinDir, 'velero');
export const veleroPluginBin = path.join(veleroBinDir, 'velero-plugin-for-aws');

/** Builds velero and velero-plugin-for-aws unless this pair of versions is cached (≈15 min of CPU cold). */
export function ensureVelero() {
  const built = () => fs.existsSync(veleroBin) && fs.existsSync(veleroPluginBin);
  buildOnce(veleroBinDir, `Velero ${veleroVersions.velero}`, built, buildVelero);
}

function buildVelero() {
  const goVersion = capture('go', ['env', 'GOVERSION']).trim();
  const [, minor] = /^go1\.(\d+)/.exec(goVersion) ?? [];
  if (!minor || Number(minor) < 26)
    throw new Error(`Go 1.26 or newer is needed to build Velero ${veleroVersions.velero}; found ${goVersion}`);
  const tmp = `${veleroBinDir}.partial-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  fs.mkdirSync(paths.logs, { recursive: true });
  const log = path.join(paths.logs, 'velero-build.log');
  const started = Date.now();
  say(`building Velero ${veleroVersions.velero} from the Go module (about 15 min the first time; log: ${log})`);
  run(
    'go',
    [
      'build',
      '-trimpath',
      '-ldflags',
      `-s -w -X github.com/vmware-tanzu/velero/pkg/buildinfo.Version=${veleroVersions.velero}`,
      '-o',
      `${tmp}/`,
      'github.com/vmware-tanzu/velero/cmd/velero',
    ],
    { cwd: path.join(root, 'env', 'velero'), env: goEnv(), log },
  );
  say(`building velero-plugin-for-aws ${veleroVersions.pluginForAws}`);
  run(
    'go',
    [
      'install',
      '-trimpath',
      '-ldflags',
      '-s -w',
      `github.com/vmware-tanzu/velero-plugin-for-aws/velero-plugin-for-aws@${veleroVersions.pluginForAws}`,
    ],
    { cwd: path.join(root, 'env', 'velero'), env: { ...goEnv(), GOBIN: tmp }, log },
  );
  fs.rmSync(veleroBinDir, { recursive: true, force: true });
  fs.renameSync(tmp, veleroBinDir);
  say(`Velero built in ${Math.round((Date.now() - started) / 1000)} s`);
}

const veleroHome = () => path.join(stateDir, 'velero');
const kubectlBin = () => path.join(paths.kubeBin, 'kubectl');

/** Runs kubectl against the environment; returns stdout. @param {string[]} args @param {string} [input] */
function kubectl(args, input) {
  return capture(kubectlBin(), ['--kubeconfig', paths.kubeconfig, ...args], input === undefined ? {} : { input });
}

/** The velero CLI against the environment (namespace velero); returns stdout. @param {string[]} args */
export function velero(args) {
  return capture(veleroBin, ['--kubeconfig', paths.kubeconfig, '--namespace', 'velero', ...args], {
    env: { ...process.env, HOME: veleroHome(), XDG_CONFIG_HOME: path.join(veleroHome(), 'config') },
  });
}

/** Creates a bucket on the environment's S3 (moto: path-style, unsigned PUT is accepted). @param {string} bucket */
export async function ensureBucket(bucket, endpoint = awsEndpoint) {
  const res = await fetch(`${endpoint}/${bucket}`, { method: 'PUT' });
  if (!res.ok && res.status !== 409)
    throw new Error(`could not create bucket ${bucket} on ${endpoint}: HTTP ${res.status}`);
}

/**
 * Starts `velero server` out of cluster against the running environment with a BSL on its S3:
 * CRDs, namespace velero, the placeholder Deployment velero/velero (replicas 0; restores read its image),
 * credentials, the BSL `default` (bucket/prefix), metrics and profiler on free ports. It also binds the
 * controller-runtime metrics port :8080, which no flag moves. `asNobody` runs it as uid/gid 65534 (as
 * Velero's image runs as a non-root user) to prove tarball permissions work without root.
 * @param {{ bucket: string, prefix?: string, asNobody?: boolean, endpoint?: string }} opts
 */
export async function veleroUp(opts) {
  ensureVelero();
  if (runningPid('velero')) await veleroDown();
  const home = veleroHome();
  fs.mkdirSync(home, { recursive: true, mode: 0o755 });
  const pluginDir = path.join(home, 'plugins');
  fs.mkdirSync(pluginDir, { recursive: true });
  fs.copyFileSync(veleroPluginBin, path.join(pluginDir, 'velero-plugin-for-aws'));
  fs.chmodSync(path.join(pluginDir, 'velero-plugin-for-aws'), 0o755);
  const credentials = path.join(home, 'credentials');
  fs.writeFileSync(credentials, '[default]\naws_access_key_id=test\naws_secret_access_key=test\n', { mode: 0o644 });
  const crds = capture(veleroBin, ['install', '--crds-only', '--dry-run', '-o', 'yaml'], {
    env: { ...process.env, HOME: home },
  });
  kubectl(['apply', '-f', '-'], crds);
  for (const crd of ['backupstoragelocations.velero.io', 'backups.velero.io', 'restores.velero.io']) {
    kubectl(['wait', '--for=condition=Established', '--timeout=60s', `crd/${crd}`]);
  }
  const endpoint = opts.endpoint ?? awsEndpoint;
  await ensureBucket(opts.bucket, endpoint);
  const objects = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'velero' } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'velero', namespace: 'velero' },
      spec: {
        replicas: 0,
        selector: { matchLabels: { deploy: 'velero' } },
        template: {
          metadata: { labels: { deploy: 'velero' } },
          spec: { containers: [{ name: 'velero', image: `velero/velero:${veleroVersions.velero}` }] },
        },
      },
    },
    {
      apiVersion: 'velero.io/v1',
      kind: 'BackupStorageLocation',
      metadata: { name: 'default', namespace: 'velero' },
      spec: {
        provider: 'aws',
        default: true,
        objectStorage: { bucket: opts.bucket, ...(opts.prefix ? { prefix: opts.prefix } : {}) },
        config: { region: 'us-east-1', s3ForcePathStyle: 'true', s3Url: endpoint },
      },
    },
  ];
  kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }));
  const [metrics, profiler] = [await freePort(), await freePort()];
  const tmp = path.join(home, 'tmp');
  fs.mkdirSync(tmp, { recursive: true, mode: 0o1777 });
  fs.chmodSync(tmp, 0o1777);
  const env = {
    ...process.env,
    AWS_SHARED_CREDENTIALS_FILE: credentials,
    HOME: tmp,
    TMPDIR: tmp,
    XDG_CACHE_HOME: tmp,
    XDG_CONFIG_HOME: tmp,
  };
  const args = [
    'server',
    '--kubeconfig',
    paths.kubeconfig,
    '--namespace',
    'velero',
    '--plugin-dir',
    pluginDir,
    '--metrics-address',
    `127.0.0.1:${metrics}`,
    '--profiler-address',
    `127.0.0.1:${profiler}`,
    '--uploader-type',
    'kopia',
    '--default-volumes-to-fs-backup=false',
    '--backup-sync-period',
    '10s',
    '--store-validation-frequency',
    '10s',
    '--log-level',
    'info',
  ];
  if (opts.asNobody) {
    // The unprivileged user gets its own copy of the (self-contained) kubeconfig, readable by it alone.
    const kubeconfig = path.join(home, 'kubeconfig-65534');
    fs.copyFileSync(paths.kubeconfig, kubeconfig);
    fs.chownSync(kubeconfig, 65534, 65534);
    fs.chmodSync(kubeconfig, 0o600);
    for (const dir of [stateDir, home, pluginDir]) fs.chmodSync(dir, 0o755);
    args[2] = kubeconfig;
    const pid = startDaemon(
      'velero',
      '/usr/bin/setpriv',
      ['--reuid=65534', '--regid=65534', '--clear-groups', veleroBin, ...args],
      { env, cwd: tmp },
    );
    // setpriv execs velero in place: the process to recognise (pid reuse guard) is velero.
    fs.writeFileSync(
      path.join(paths.pids, 'velero.pid'),
      JSON.stringify({ pid, exe: veleroBin, startedAt: new Date().toISOString() }),
    );
  } else {
    startDaemon('velero', veleroBin, args, { env, cwd: tmp });
  }
  await waitReady(
    'velero',
    async () =>
      kubectl(['get', 'backupstoragelocation', 'default', '-n', 'velero', '-o', 'jsonpath={.status.phase}']).trim() ===
      'Available',
    120_000,
  );
  say(
    `velero server running (BSL default → s3://${opts.bucket}${opts.prefix ? `/${opts.prefix}` : ''} at ${endpoint}; log ${logFile('velero')})`,
  );
}

/** Stops the velero server this harness started (and its plugin processes). */
export async function veleroDown() {
  return stopDaemon('velero');
}

/**
 * Runs `velero backup create --wait` and returns the Backup's phase.
 * @param {string} name @param {string[]} args e.g. ['--include-namespaces', 'shop']
 */
export function veleroBackup(name, args) {
  velero(['backup', 'create', name, '--wait', ...args]);
  return kubectl(['get', 'backups.velero.io', name, '-n', 'velero', '-o', 'jsonpath={.status.phase}']).trim();
}

/**
 * Runs `velero restore create --from-backup --wait` and returns the Restore's phase.
 * @param {string} name @param {string} backup @param {string[]} args e.g. ['--namespace-mappings', 'shop:copy']
 */
export function veleroRestore(name, backup, args) {
  velero(['restore', 'create', name, '--from-backup', backup, '--wait', ...args]);
  return kubectl(['get', 'restores.velero.io', name, '-n', 'velero', '-o', 'jsonpath={.status.phase}']).trim();
}

/** Waits until Velero's backup sync has adopted a backup someone else wrote into the bucket. @param {string} name */
export async function waitForBackupSynced(name, timeoutMs = 150_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const r = spawnSync(
      kubectlBin(),
      [
        '--kubeconfig',
        paths.kubeconfig,
        'get',
        'backups.velero.io',
        name,
        '-n',
        'velero',
        '-o',
        'jsonpath={.status.phase}',
      ],
      { encoding: 'utf8' },
    );
    if (r.status === 0 && r.stdout.trim()) return r.stdout.trim();
    await new Promise((res) => setTimeout(res, 2000));
  }
  throw new Error(
    `Velero did not adopt backup ${name} within ${Math.round(timeoutMs / 1000)} s (log: ${logFile('velero')})`,
  );
}
