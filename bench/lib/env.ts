import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadKubeConfig } from '../../src/core/kube/kubeconfig';
import { KubeRawClient } from '../../src/core/kube/rawClient';
import { KubeApiError } from '../../src/core/kube/kubeApiError';
import { createAwsClients, type AwsClients } from '../../src/core/aws/clients';

export const repoRoot = path.resolve(__dirname, '..', '..');
export const kubeconfigPath = process.env.DRYDOCK_BENCH_KUBECONFIG ?? path.join(repoRoot, '.localenv', 'kubeconfig');
export const kubeContext = process.env.DRYDOCK_BENCH_CONTEXT ?? 'drydock-local';
export const kubectlPath =
  process.env.DRYDOCK_BENCH_KUBECTL ??
  path.join(
    process.env.DRYDOCK_CACHE ?? path.join(os.homedir(), '.cache', 'drydock'),
    'k8s-v1.33.13-kwok-v0.7.0',
    'bin',
    'kubectl',
  );
export const awsCliPath = process.env.DRYDOCK_BENCH_AWS ?? '/usr/bin/aws';
export const awsEndpoint = process.env.DRYDOCK_BENCH_AWS_ENDPOINT ?? 'http://localhost:4566';
export const awsRegion = 'us-east-1';

/** Environment for the AWS CLI baseline: the local emulator's dummy credentials, no pager, no config surprises. */
export const awsCliEnv: NodeJS.ProcessEnv = {
  ...process.env,
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_DEFAULT_REGION: awsRegion,
  AWS_PAGER: '',
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
};

/** kubectl against the bench context, with its own discovery cache (warm after the first call, as for a user). */
export function kubectlArgs(...args: string[]): string[] {
  return ['--kubeconfig', kubeconfigPath, '--context', kubeContext, ...args];
}

/** A short unique suffix: lowercase, DNS-safe. */
export function uniqueId(): string {
  return `${Date.now().toString(36).slice(-5)}${randomBytes(2).toString('hex')}`;
}

export interface BenchEnv {
  kube: KubeRawClient;
  aws: AwsClients;
  /** A scratch directory, removed by `close`. */
  tmp: string;
  log: (message: string) => void;
  close(): Promise<void>;
}

export async function openBenchEnv(): Promise<BenchEnv> {
  if (!existsSync(kubectlPath)) throw new Error(`kubectl not found at ${kubectlPath} (set DRYDOCK_BENCH_KUBECTL)`);
  if (!existsSync(awsCliPath)) throw new Error(`AWS CLI not found at ${awsCliPath} (set DRYDOCK_BENCH_AWS)`);
  const kube = new KubeRawClient(loadKubeConfig([kubeconfigPath]), kubeContext);
  try {
    await kube.request('GET', '/version');
  } catch (error) {
    throw new Error(
      `The local environment is not running (${(error as Error).message}). Start it with \`npm run env:up\`.`,
      {
        cause: error,
      },
    );
  }
  const aws = createAwsClients({ url: awsEndpoint, region: awsRegion });
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'drydock-bench-'));
  return {
    kube,
    aws,
    tmp,
    log: (message) => process.stderr.write(`${message}\n`),
    async close() {
      aws.destroy();
      await rm(tmp, { recursive: true, force: true });
    },
  };
}

/** Deletes a namespace and, with `wait`, waits until it is gone (its objects too). */
export async function deleteNamespace(
  kube: KubeRawClient,
  ns: string,
  wait: boolean,
  timeoutMs = 300_000,
): Promise<void> {
  if (!ns.startsWith('bench-')) throw new Error(`refusing to delete namespace ${ns}: not a bench namespace`);
  try {
    await kube.request('DELETE', `/api/v1/namespaces/${ns}`);
  } catch (error) {
    if (KubeApiError.is(error) && error.statusCode === 404) return;
    throw error;
  }
  if (!wait) return;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      await kube.request('GET', `/api/v1/namespaces/${ns}`);
    } catch (error) {
      if (KubeApiError.is(error) && error.statusCode === 404) return;
      throw error;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`namespace ${ns} still terminating after ${timeoutMs / 1000} s`);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
