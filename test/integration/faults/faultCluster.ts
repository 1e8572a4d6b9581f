import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../support/env';

/**
 * The fault suite's OWN control plane (etcd, kube-apiserver, controller-manager, scheduler, kwok), started and
 * stopped through tools/localenv with its own state directory, etcd directory and ports, so freezing or killing
 * its API server never disturbs the environment other suites (or other engineers) use. Its kubeconfig has the
 * context `drydock-local` on a loopback address.
 */
export interface FaultCluster {
  kubeconfig: string;
  context: string;
  server: string;
  /** The API server's pid, from this cluster's own pid file. */
  apiServerPid(): number;
  freeze(): void;
  thaw(): void;
  kill(): void;
  /** Starts what is not running (after a kill: the API server), waiting until it is ready. */
  restart(): void;
  stop(): void;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function cluster(call: 'clusterUp' | 'clusterDown', env: NodeJS.ProcessEnv): void {
  const r = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const m = await import(${JSON.stringify(join(repoRoot, 'tools', 'localenv', 'cluster.mjs'))}); await m.${call}();`,
    ],
    { env, encoding: 'utf8', timeout: 300_000 },
  );
  if (r.status !== 0) throw new Error(`tools/localenv ${call} failed (${r.status ?? r.signal}): ${r.stderr}`);
}

export async function startFaultCluster(): Promise<FaultCluster> {
  const state = mkdtempSync(join(tmpdir(), 'drydock-faults-kube-'));
  const etcdDir = mkdtempSync(join(process.platform === 'linux' ? '/dev/shm' : tmpdir(), 'drydock-faults-etcd-'));
  const apiPort = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DRYDOCK_STATE: state,
    DRYDOCK_ETCD_DIR: etcdDir,
    DRYDOCK_ETCD_PORT: String(await freePort()),
    DRYDOCK_ETCD_PEER_PORT: String(await freePort()),
    DRYDOCK_API_PORT: String(apiPort),
    DRYDOCK_KWOK_PORT: String(await freePort()),
  };
  const stop = () => {
    try {
      signal('SIGCONT');
      cluster('clusterDown', env);
    } finally {
      rmSync(state, { recursive: true, force: true });
      rmSync(etcdDir, { recursive: true, force: true });
    }
  };
  const pid = () =>
    (JSON.parse(readFileSync(join(state, 'pids', 'kube-apiserver.pid'), 'utf8')) as { pid: number }).pid;
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(pid(), sig);
    } catch {
      /* already gone */
    }
  };
  try {
    cluster('clusterUp', env);
  } catch (error) {
    stop();
    throw error;
  }
  return {
    kubeconfig: join(state, 'kubeconfig'),
    context: 'drydock-local',
    server: `https://127.0.0.1:${apiPort}`,
    apiServerPid: pid,
    freeze: () => signal('SIGSTOP'),
    thaw: () => signal('SIGCONT'),
    kill: () => signal('SIGKILL'),
    restart: () => cluster('clusterUp', env),
    stop,
  };
}
