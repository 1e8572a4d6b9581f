import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { getItem } from '../../aws/dynamodb';
import type { Item } from '../../aws/dynamoJson';
import { getObjectStream } from '../../aws/s3';
import { getQueueAttributeMap } from '../../aws/sqs';
import { discoverResources, resourcePath, type ApiResourceType } from '../../kube/discovery';
import { describeError } from '../../errors';
import { throwIfAborted } from '../../snapshot/progress';
import type { UserCheck } from '../drillFile';
import type { DrillCheck, DrillGap } from '../drillReport';
import type { DrillTarget } from '../drillTarget';
import { evaluateJsonPathAssertion } from '../jsonPathAssertion';

/** `DRYDOCK_QUEUE_SHOP_ORDERS`: upper case, other characters as '_'. */
export function envName(prefix: string, name: string): string {
  return `${prefix}_${name
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')}`;
}

/** The environment shell checks run with: the target namespace, kubeconfig, AWS endpoint and renamed resources. */
export function shellCheckEnv(
  t: Pick<DrillTarget, 'namespaceMap' | 'kubeconfigFile' | 'aws' | 'renamed'>,
  runId: string,
  base: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, DRYDOCK_DRILL_RUN_ID: runId };
  const namespaces = [...t.namespaceMap.values()];
  env.DRYDOCK_NAMESPACE = namespaces[0];
  for (const [from, to] of t.namespaceMap) env[envName('DRYDOCK_NAMESPACE', from)] = to;
  if (t.kubeconfigFile) env.KUBECONFIG = t.kubeconfigFile;
  if (t.aws) {
    env.AWS_ENDPOINT_URL = t.aws.endpoint.url;
    env.AWS_REGION = env.AWS_DEFAULT_REGION = t.aws.endpoint.region;
    env.AWS_ACCESS_KEY_ID ??= t.aws.endpoint.credentials?.accessKeyId ?? 'test';
    env.AWS_SECRET_ACCESS_KEY ??= t.aws.endpoint.credentials?.secretAccessKey ?? 'test';
  }
  for (const [from, to] of Object.entries(t.renamed.queues)) env[envName('DRYDOCK_QUEUE', from)] = to;
  for (const [from, to] of Object.entries(t.renamed.tables)) env[envName('DRYDOCK_TABLE', from)] = to;
  for (const [from, to] of Object.entries(t.renamed.buckets)) env[envName('DRYDOCK_BUCKET', from)] = to;
  return env;
}

/** Finds the served type for `deployment`, `deployments`, `deployments.apps` or `Deployment`. */
export function findType(types: readonly ApiResourceType[], spec: string): ApiResourceType | undefined {
  const s = spec.toLowerCase();
  return (
    types.find((t) => (t.group ? `${t.resource}.${t.group}` : t.resource) === s) ??
    types.find((t) => t.resource === s) ??
    types.find((t) => t.kind.toLowerCase() === s) ??
    types.find((t) => `${t.kind.toLowerCase()}s` === s)
  );
}

/** Runs the drill file's checks against the drill target, each reported; a failed one is a `check-failed` gap. */
export async function runUserChecks(
  t: DrillTarget,
  checks: readonly UserCheck[],
  runId: string,
): Promise<{ checks: DrillCheck[]; gaps: DrillGap[] }> {
  const out = { checks: [] as DrillCheck[], gaps: [] as DrillGap[] };
  let types: ApiResourceType[] | undefined;
  for (const c of checks) {
    throwIfAborted(t.signal);
    let passed = false;
    let detail: string;
    try {
      switch (c.type) {
        case 'jsonpath': {
          types ??= await discoverResources(t.kube, { signal: t.signal });
          const [typeSpec, name] = c.jsonpath.object.split('/') as [string, string];
          const type = findType(types, typeSpec);
          if (!type) throw new Error(`the target serves no resource type "${typeSpec}"`);
          const ns = type.namespaced ? [...t.namespaceMap.values()][0] : undefined;
          const obj = await t.kube.request('GET', resourcePath(type, ns, name), undefined, { signal: t.signal });
          ({ passed, detail } = evaluateJsonPathAssertion(obj, c.jsonpath));
          break;
        }
        case 'sqs': {
          const q = renamedOrThrow(t.renamed.queues, c.sqs.queue, 'queue');
          const url = t.queueUrls[c.sqs.queue];
          if (!url) throw new Error(`queue ${q} was not restored (no URL in the restore report)`);
          const a = await getQueueAttributeMap(
            t.aws!.sqs,
            url,
            ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
            t.signal,
          );
          const n = Number(a.ApproximateNumberOfMessages ?? 0) + Number(a.ApproximateNumberOfMessagesNotVisible ?? 0);
          passed = n >= c.sqs.minMessages;
          detail = `${q} holds ${n} message(s); expected ≥ ${c.sqs.minMessages}`;
          break;
        }
        case 'dynamodb': {
          const table = renamedOrThrow(t.renamed.tables, c.dynamodb.table, 'table');
          const key: Item = {};
          for (const [k, v] of Object.entries(c.dynamodb.key))
            key[k] = typeof v === 'number' ? { N: String(v) } : { S: v };
          passed = (await getItem(t.aws!.dynamodb, table, key, t.signal)) !== undefined;
          detail = `${table}: item ${JSON.stringify(c.dynamodb.key)} ${passed ? 'exists' : 'not found'}`;
          break;
        }
        case 's3': {
          const bucket = renamedOrThrow(t.renamed.buckets, c.s3.bucket, 'bucket');
          const res = await getObjectStream(t.aws!.s3, bucket, c.s3.key, t.signal);
          const h = createHash('sha256');
          for await (const chunk of res.body) h.update(chunk as Buffer);
          const sum = h.digest('hex');
          passed = c.s3.sha256 === undefined || sum === c.s3.sha256;
          detail = `s3://${bucket}/${c.s3.key} sha256 ${sum}${c.s3.sha256 && !passed ? `, expected ${c.s3.sha256}` : ''}`;
          break;
        }
        case 'run': {
          const r = await runShell(c.run, {
            cwd: t.workspaceDir,
            env: shellCheckEnv(t, runId),
            timeoutMs: c.timeoutSeconds * 1000,
            signal: t.signal,
          });
          passed = r.code === 0;
          detail = r.timedOut
            ? `timed out after ${c.timeoutSeconds} s`
            : `exit ${r.code ?? r.signal}${r.output ? `: ${r.output}` : ''}`;
          break;
        }
      }
    } catch (error) {
      passed = false;
      detail = describeError(error);
    }
    out.checks.push({ category: 'user', name: c.name, passed, detail });
    if (!passed) out.gaps.push({ kind: 'check-failed', subject: c.name, message: detail });
  }
  return out;
}

function renamedOrThrow(map: Record<string, string>, name: string, what: string): string {
  const to = map[name];
  if (!to)
    throw new Error(`${what} ${name} is not in the recovery point (known: ${Object.keys(map).join(', ') || 'none'})`);
  return to;
}

/** Runs `sh -c command`; output is the last 800 characters of stdout and stderr together. */
export function runShell(
  command: string,
  o: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number; signal?: AbortSignal },
): Promise<{ code: number | null; signal: string | null; output: string; timedOut: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', command], {
      cwd: o.cwd,
      env: o.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    let timedOut = false;
    const take = (b: Buffer) => (output = (output + b.toString('utf8')).slice(-800));
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    const kill = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => ((timedOut = true), kill()), o.timeoutMs);
    o.signal?.addEventListener('abort', kill, { once: true });
    child.on('error', (e) => (clearTimeout(timer), reject(e)));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', kill);
      resolve({ code, signal, output: output.trim().replace(/\s+/g, ' '), timedOut });
    });
  });
}
