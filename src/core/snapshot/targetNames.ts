import { isIP } from 'node:net';
import { DrydockError } from '../errors';
import type { RestorePlan } from './restorePlan';

/**
 * The naming rules of everything a restore or drill creates, checked on the whole plan before the first
 * write: a name the target would refuse is a usage error with nothing written, never a failure halfway.
 * Each check returns what is wrong with a name, or undefined when it is valid.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A Kubernetes namespace: a DNS-1123 label (lower-case alphanumerics and '-', 1–63, alphanumeric at both ends). */
export function namespaceNameProblem(name: string): string | undefined {
  if (!name) return 'is empty';
  if (name.length > 63) return `is ${name.length} characters long (at most 63)`;
  if (!DNS1123_LABEL.test(name))
    return "must consist of lower-case letters, digits and '-', and start and end with a letter or digit (DNS-1123 label)";
  return undefined;
}

/** An SQS queue: 1–80 characters of letters, digits, '-' and '_'; a FIFO queue's name ends in `.fifo` (counted). */
export function queueNameProblem(name: string, fifo: boolean): string | undefined {
  if (name.length > 80) return `is ${name.length} characters long (at most 80, ".fifo" included)`;
  const base = fifo ? (name.endsWith('.fifo') ? name.slice(0, -5) : undefined) : name;
  if (base === undefined) return 'is a FIFO queue and must end in ".fifo"';
  if (!base) return 'is empty';
  if (!/^[A-Za-z0-9_-]+$/.test(base))
    return `may contain only letters, digits, '-' and '_'${fifo ? ' before ".fifo"' : ''}`;
  return undefined;
}

/** A DynamoDB table: 3–255 characters of letters, digits, '_', '-' and '.'. */
export function tableNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 255) return `is ${name.length} characters long (3 to 255)`;
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) return "may contain only letters, digits, '_', '-' and '.'";
  return undefined;
}

const S3_RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const S3_RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];

/** An S3 bucket (general purpose naming rules). */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return `is ${name.length} characters long (3 to 63)`;
  if (!/^[a-z0-9.-]+$/.test(name)) return "may contain only lower-case letters, digits, '.' and '-'";
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) return 'must start and end with a letter or digit';
  if (name.includes('..')) return 'must not contain two adjacent periods';
  if (isIP(name) === 4) return 'must not be formatted as an IP address';
  const prefix = S3_RESERVED_PREFIXES.find((p) => name.startsWith(p));
  if (prefix) return `must not start with the reserved prefix "${prefix}"`;
  const suffix = S3_RESERVED_SUFFIXES.find((s) => name.endsWith(s));
  if (suffix) return `must not end with the reserved suffix "${suffix}"`;
  return undefined;
}

/** One name of the plan that the target would refuse. */
export interface NameProblem {
  what: 'namespace' | 'sqs queue' | 'dynamodb table' | 's3 bucket';
  /** The name the resource has in the recovery point. */
  source: string;
  /** The name it would get. */
  target: string;
  problem: string;
}

/** Every name the plan would create that its target would refuse (empty: all valid). */
export function planNameProblems(plan: RestorePlan): NameProblem[] {
  const problems: NameProblem[] = [];
  const namespaces = new Map<string, string>();
  for (const item of plan.kube) {
    if (item.groupResource === 'namespaces') namespaces.set(item.name, item.sourceName ?? item.name);
    else if (item.targetNamespace !== undefined)
      namespaces.set(item.targetNamespace, item.sourceNamespace ?? item.targetNamespace);
  }
  for (const [target, source] of namespaces) {
    const problem = namespaceNameProblem(target);
    if (problem) problems.push({ what: 'namespace', source, target, problem });
  }
  for (const q of plan.aws.queues) {
    const problem = queueNameProblem(q.target, q.source.endsWith('.fifo') || q.record.attributes.FifoQueue === 'true');
    if (problem) problems.push({ what: 'sqs queue', source: q.source, target: q.target, problem });
  }
  for (const t of plan.aws.tables) {
    const problem = tableNameProblem(t.target);
    if (problem) problems.push({ what: 'dynamodb table', source: t.source, target: t.target, problem });
  }
  for (const b of plan.aws.buckets) {
    const problem = bucketNameProblem(b.target);
    if (problem) problems.push({ what: 's3 bucket', source: b.source, target: b.target, problem });
  }
  return problems;
}

/** Throws a usage error (DrydockError 'invalid-input') naming every invalid target name of the plan. */
export function assertPlanNamesValid(plan: RestorePlan): void {
  const problems = planNameProblems(plan);
  if (!problems.length) return;
  const lines = problems.map((p) => `  ${p.what} ${p.source} → "${p.target}" ${p.problem}`);
  throw new DrydockError(
    'invalid-input',
    `The restore would create ${problems.length === 1 ? 'a name' : `${problems.length} names`} the target refuses; nothing was written:\n${lines.join('\n')}\n` +
      'Choose another --namespace-map, --aws-prefix or --aws-suffix.',
  );
}
