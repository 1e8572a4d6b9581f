// @ts-check
// The local Kubernetes control plane: etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { nodeName, paths, ports } from './config.mjs';
import { PieceError, portOpen, runningPid, say, startDaemon, stopDaemon, waitReady } from './proc.mjs';
import { ensurePki, pki } from './pki.mjs';
import { apiGet, kubectl } from './kube.mjs';

/** In start order; `down` stops them in reverse. */
export const clusterPieces = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok'];

const bin = (/** @type {string} */ name) => path.join(paths.kubeBin, name);

/** The apiserver's advertise address must not be loopback: unset when a default route exists, else a host IP. */
function advertiseAddressArgs() {
  try {
    const routes = fs.readFileSync('/proc/net/route', 'utf8').split('\n').slice(1);
    if (routes.some((line) => line.split(/\s+/)[1] === '00000000')) return [];
  } catch {
    /* not Linux */
  }
  const ip = Object.values(os.networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal);
  return ip ? [`--advertise-address=${ip.address}`] : [];
}

async function startEtcd() {
  if (runningPid('etcd')) return false;
  fs.rmSync(paths.etcdData, { recursive: true, force: true });
  const client = `http://127.0.0.1:${ports.etcdClient}`;
  const peer = `http://127.0.0.1:${ports.etcdPeer}`;
  startDaemon('etcd', '/usr/bin/etcd', [
    '--name=drydock',
    `--data-dir=${paths.etcdData}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=drydock=${peer}`,
    '--log-level=warn',
  ]);
  await waitReady(
    'etcd',
    async () => {
      const res = await fetch(`${client}/health`);
      return res.ok && (await res.json()).health === 'true';
    },
    30_000,
  );
  return true;
}

async function startApiServer() {
  if (runningPid('kube-apiserver')) return false;
  startDaemon('kube-apiserver', bin('kube-apiserver'), [
    `--etcd-servers=http://127.0.0.1:${ports.etcdClient}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${ports.apiserver}`,
    ...advertiseAddressArgs(),
    `--tls-cert-file=${pki.serverCert}`,
    `--tls-private-key-file=${pki.serverKey}`,
    `--client-ca-file=${pki.caCert}`,
    `--token-auth-file=${pki.tokens}`,
    '--authorization-mode=RBAC',
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-account-key-file=${pki.saPub}`,
    `--service-account-signing-key-file=${pki.saKey}`,
    '--service-cluster-ip-range=10.96.0.0/16',
    '--allow-privileged=true',
    '--enable-priority-and-fairness=false',
    '--profiling=false',
    '--v=1',
  ]);
  await waitReady('kube-apiserver', async () => (await apiGet('/readyz'))[0] === 200, 120_000);
  return true;
}

/** @param {string} piece @param {string[]} extra */
function startController(piece, extra) {
  if (runningPid(piece)) return false;
  startDaemon(piece, bin(piece), [`--kubeconfig=${paths.kubeconfig}`, '--leader-elect=false', '--v=1', ...extra]);
  return true;
}

async function startKwok() {
  if (runningPid('kwok')) return false;
  startDaemon('kwok', bin('kwok'), [
    `--kubeconfig=${paths.kubeconfig}`,
    '--manage-all-nodes=true',
    '--cidr=10.244.0.1/16',
    '--node-lease-duration-seconds=40',
    `--server-address=127.0.0.1:${ports.kwok}`,
  ]);
  return true;
}

function ensureNode() {
  const node = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: nodeName,
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'kwok.x-k8s.io/node': 'fake' },
      labels: {
        'kubernetes.io/hostname': nodeName,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        type: 'kwok',
      },
    },
    status: {
      allocatable: { cpu: '32', memory: '256Gi', pods: '250' },
      capacity: { cpu: '32', memory: '256Gi', pods: '250' },
      nodeInfo: { kubeletVersion: 'fake', operatingSystem: 'linux', architecture: 'amd64' },
    },
  };
  kubectl(['apply', '-f', '-'], JSON.stringify(node));
}

/**
 * The API server taints every new Node `node.kubernetes.io/not-ready:NoSchedule`; the node-lifecycle
 * controller, which would lift it once the node is Ready, is turned off here (see clusterUp), so lift it.
 */
function untaintReadyNode() {
  const taints = kubectl(['get', 'node', nodeName, '-o', 'jsonpath={.spec.taints[*].key}'])
    .split(/\s+/)
    .filter(Boolean);
  for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
    if (taints.includes(key)) kubectl(['taint', 'nodes', nodeName, `${key}-`]);
  }
}

/** Brings the control plane up (starting only what is not running) and waits until a node is Ready. */
export async function clusterUp() {
  ensurePki();
  const started = [];
  if (await startEtcd()) started.push('etcd');
  if (await startApiServer()) started.push('kube-apiserver');
  if (
    startController('kube-controller-manager', [
      `--service-account-private-key-file=${pki.saKey}`,
      `--root-ca-file=${pki.caCert}`,
      '--use-service-account-credentials=false',
      '--secure-port=0',
      // kwok's fake node has no kubelet; the node-lifecycle controller would mark it NotReady whenever a
      // heartbeat is late on a loaded machine, and then flip every pod's Ready condition to False for good.
      '--controllers=*,-node-lifecycle-controller',
    ])
  )
    started.push('kube-controller-manager');
  if (startController('kube-scheduler', ['--secure-port=0'])) started.push('kube-scheduler');
  if (await startKwok()) started.push('kwok');
  ensureNode();
  await waitReady(
    'kube-controller-manager',
    async () => /default/.test(kubectl(['get', 'serviceaccount', 'default', '-n', 'default', '-o', 'name'])),
    60_000,
  );
  await waitReady(
    'kwok',
    async () =>
      kubectl(['get', 'node', nodeName, '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}']).trim() ===
      'True',
    60_000,
  );
  untaintReadyNode();
  if (!runningPid('kube-scheduler')) throw new PieceError('kube-scheduler', 'exited during start-up');
  return started;
}

export async function clusterDown() {
  const stopped = [];
  for (const piece of [...clusterPieces].reverse()) if (await stopDaemon(piece)) stopped.push(piece);
  fs.rmSync(paths.etcdData, { recursive: true, force: true });
  return stopped;
}

export async function clusterStatus() {
  const rows = [];
  for (const piece of clusterPieces) rows.push({ piece, pid: runningPid(piece) });
  let ready = false;
  try {
    ready = (await apiGet('/readyz'))[0] === 200;
  } catch {
    /* down */
  }
  return { rows, apiReady: ready, apiPortOpen: await portOpen(ports.apiserver) };
}

export { say };
