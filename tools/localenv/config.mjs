// @ts-check
// Versions, ports and paths of Drydock's local environment. Everything here can be overridden by env vars.
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const env = process.env;

export const versions = {
  kubernetes: 'v1.33.13',
  kwok: 'v0.7.0',
  moto: '5.2.5',
  localstack: '4.14.0',
  codeServer: '4.139.1',
  node24: '24.21.0',
};

/**
 * Cache of built binaries and installed tools, keyed by version, shared by every clone on this machine
 * (`$XDG_CACHE_HOME/drydock`, by default `~/.cache/drydock`).
 */
export const cacheDir = path.resolve(
  env.DRYDOCK_CACHE ?? path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'drydock'),
);
/** Runtime state of a running environment: pids, logs, certificates, kubeconfig. */
export const stateDir = path.resolve(env.DRYDOCK_STATE ?? path.join(root, '.localenv'));

export const paths = {
  kubeBin: path.join(cacheDir, `k8s-${versions.kubernetes}-kwok-${versions.kwok}`, 'bin'),
  goModCache: path.join(cacheDir, 'go', 'mod'),
  goBuildCache: path.join(cacheDir, 'go', 'build'),
  motoVenv: path.join(cacheDir, `moto-${versions.moto}-venv`),
  localstackVenv: path.join(cacheDir, `localstack-${versions.localstack}-venv`),
  node24: path.join(cacheDir, `node-${versions.node24}`),
  codeServer: path.join(cacheDir, `code-server-${versions.codeServer}`),
  pki: path.join(stateDir, 'pki'),
  logs: path.join(stateDir, 'logs'),
  pids: path.join(stateDir, 'pids'),
  kubeconfig: path.join(stateDir, 'kubeconfig'),
  etcdData: path.join(
    env.DRYDOCK_ETCD_DIR ?? (process.platform === 'linux' ? '/dev/shm' : stateDir),
    `drydock-etcd-${process.getuid?.() ?? 0}`,
  ),
  artifacts: path.join(root, 'artifacts'),
};

export const ports = {
  etcdClient: Number(env.DRYDOCK_ETCD_PORT ?? 23790),
  etcdPeer: Number(env.DRYDOCK_ETCD_PEER_PORT ?? 23800),
  apiserver: Number(env.DRYDOCK_API_PORT ?? 16443),
  aws: Number(env.DRYDOCK_AWS_PORT ?? 4566),
  localstack: Number(env.DRYDOCK_LOCALSTACK_PORT ?? 4567),
  kwok: Number(env.DRYDOCK_KWOK_PORT ?? 10247),
  demo: Number(env.DRYDOCK_DEMO_PORT ?? 8080),
};

export const contextName = 'drydock-local';
export const awsEndpoint = `http://localhost:${ports.aws}`;
export const nodeName = 'drydock-node-1';

/** Debian packages the environment and the tests need. */
export const aptPackages = [
  'etcd-server',
  'chromium',
  'libkrb5-dev',
  'awscli',
  'openssl',
  'python3-venv',
  'build-essential',
];
