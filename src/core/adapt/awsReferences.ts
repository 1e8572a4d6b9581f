import { describeItem, type KubeObject } from '../snapshot/kubeObject';
import { mapKeyedReferenceStrings, renamedAwsName, type ReferenceLocation } from '../snapshot/references';
import type { Adaptation, LocalAwsTarget, ObjectAdapter } from './adaptation';
import { findNamedReference } from './awsNamedReference';
import { findAwsReferences, type AwsCopiedService, type AwsReference } from './awsReferenceParse';

/**
 * Production → local for AWS: every reference to real AWS in ConfigMap data, Secret data (decoded) and stringData,
 * container env values and annotations (the object's and its pod templates') is found (`awsReferenceParse.ts`,
 * `awsNamedReference.ts`) and rewritten to the local emulator copy:
 *
 * - SQS queue URL → `<local SQS endpoint>/<local account>/<prefix><name><suffix>` (a FIFO queue keeps `.fifo` last);
 * - SQS / DynamoDB ARNs → the local region and account, renamed; S3 ARNs → the renamed bucket (an S3 key, a
 *   DynamoDB `/index/…` or `/stream/…` tail is kept);
 * - `s3://bucket/key` → `s3://<renamed>/key`; S3 URLs (virtual-hosted or path-style) → path-style on the local S3
 *   endpoint, `<endpoint>/<renamed>/key`;
 * - a bare endpoint (`https://sqs.eu-west-1.amazonaws.com`) → the local endpoint of that service;
 * - a bare table, bucket or queue name under a key that names one (the rule in `awsNamedReference.ts`) → renamed.
 *
 * Nothing is rewritten for a service the target has no endpoint for, nor at all when the restore has no AWS target
 * (`ctx.aws` undefined): those references are reported, so the drill names what would still call real AWS. What
 * points at AWS but is not a queue, table or bucket (SNS, Lambda, another partition, an unknown AWS host) is
 * reported and left as is; IAM and STS (identity) belong to the workload-identity adaptation and are not repeated.
 * The local copies themselves are made by `awsLocalCopies.ts` from the same references.
 */

const SERVICE: Record<AwsCopiedService, string> = { sqs: 'SQS', dynamodb: 'DynamoDB', s3: 'S3' };
const NOUN: Record<AwsCopiedService, string> = { sqs: 'queue', dynamodb: 'table', s3: 'bucket' };

const trimSlash = (url: string) => url.replace(/\/+$/, '');

/** The references in one string at a location: a name under a key that names one, else URLs, ARNs and URIs. */
export function awsReferencesIn(value: string, at: Pick<ReferenceLocation, 'key'>): AwsReference[] {
  const named = findNamedReference(at.key, value);
  return named ? [named] : findAwsReferences(value).filter((r) => !isIdentity(r));
}

/** IAM/STS ARNs and the STS endpoint: identity, reported by the workload-identity adaptation. */
function isIdentity(ref: AwsReference): boolean {
  return ref.kind === 'other' && (/^arn:aws[a-z-]*:(iam|sts):/.test(ref.text) || /^sts[.-]/.test(ref.text));
}

/**
 * The local name of a resource under the target's prefix and suffix. A name that has them already is kept: the
 * restore's own reference rewriting renamed it (the recovery point holds a resource of that name and restores it).
 */
export function localName(service: AwsCopiedService, name: string, target: LocalAwsTarget): string {
  const { prefix, suffix } = target;
  const base = service === 'sqs' && name.endsWith('.fifo') ? name.slice(0, -5) : name;
  if (
    (prefix || suffix) &&
    base.startsWith(prefix) &&
    base.endsWith(suffix) &&
    base.length > prefix.length + suffix.length
  )
    return name;
  return renamedAwsName(service, name, prefix, suffix);
}

/** The local text that replaces a reference, or undefined when it stays (no endpoint for its service, or `other`). */
export function localReplacement(ref: AwsReference, target: LocalAwsTarget): string | undefined {
  if (ref.kind === 'other') return undefined;
  const endpoint = target.endpoints[ref.service];
  if (!endpoint) return undefined;
  if (ref.kind === 'endpoint') return trimSlash(endpoint) + (ref.text.endsWith('/') ? '/' : '');
  const name = localName(ref.service, ref.name, target);
  switch (ref.form) {
    case 'name':
      return name;
    case 'queue-url':
      return `${trimSlash(endpoint)}/${target.accountId}/${name}`;
    case 's3-url':
      return `${trimSlash(endpoint)}/${name}`;
    case 's3-uri':
      return `${ref.scheme ?? 's3://'}${name}`;
    case 'arn':
      if (ref.service === 'sqs') return `arn:aws:sqs:${target.region}:${target.accountId}:${name}`;
      if (ref.service === 'dynamodb') return `arn:aws:dynamodb:${target.region}:${target.accountId}:table/${name}`;
      return `arn:aws:s3:::${name}`;
  }
}

/** What a reference is, for a person: `SQS queue`, `DynamoDB table ARN`, `S3 endpoint`, `SNS ARN`. */
export function describeReference(ref: AwsReference): string {
  if (ref.kind === 'other') return ref.what;
  if (ref.kind === 'endpoint') return `${SERVICE[ref.service]} endpoint`;
  const base = `${SERVICE[ref.service]} ${NOUN[ref.service]}`;
  return ref.form === 'arn' ? `${base} ARN` : ref.form === 'name' ? `${base} name` : base;
}

/** Why a reference stays as it is. */
function whyKept(ref: AwsReference, target: LocalAwsTarget | undefined): string {
  if (ref.kind === 'other')
    return 'left as is: Drydock makes local copies of SQS queues, DynamoDB tables and S3 buckets only, so the workload would still call real AWS';
  if (!target) return 'left as is: the restore has no local AWS target, so the workload would call real AWS';
  return `left as is: the local AWS target has no ${SERVICE[ref.service]} endpoint, so the workload would call real AWS`;
}

/** One reference found in an object, with where it was seen and what replaced it. */
interface Seen {
  ref: AwsReference;
  to: string | undefined;
  where: string[];
}

/** Rewrites one string (in place of each reference its local text, when there is one); records what it saw. */
function rewriteString(
  value: string,
  at: ReferenceLocation,
  target: LocalAwsTarget | undefined,
  seen: Map<string, Seen>,
): string {
  const refs = awsReferencesIn(value, at);
  if (!refs.length) return value;
  let out = '';
  let pos = 0;
  for (const ref of refs) {
    const to = target ? localReplacement(ref, target) : undefined;
    const key = `${ref.kind}\u0000${ref.text}\u0000${to ?? ''}`;
    const entry = seen.get(key) ?? { ref, to, where: [] };
    if (!entry.where.includes(at.where)) entry.where.push(at.where);
    seen.set(key, entry);
    out += value.slice(pos, ref.start) + (to ?? ref.text);
    pos = ref.end;
  }
  return out + value.slice(pos);
}

/** Every AWS reference of an object (nothing changed), as the adapter and the copy planner see them. */
export function awsReferencesOf(obj: KubeObject): AwsReference[] {
  const refs: AwsReference[] = [];
  mapKeyedReferenceStrings(
    obj,
    (value, at) => {
      refs.push(...awsReferencesIn(value, at));
      return value;
    },
    { annotations: true },
  );
  return refs;
}

/**
 * The adapter (registered for every kind): rewrites the object in place and returns one adaptation per distinct
 * reference (a `gap` when it stays pointing at real AWS), naming where it was seen — `SQS queue https://sqs.eu-west-1.amazonaws.com/…/orders →
 * http://127.0.0.1:4567/000000000000/drill-x-orders (env ORDERS_URL (container web))`.
 */
export const awsReferenceAdapter: ObjectAdapter = (obj, groupResource, ctx) => {
  const seen = new Map<string, Seen>();
  mapKeyedReferenceStrings(obj, (value, at) => rewriteString(value, at, ctx.aws, seen), { annotations: true });
  const subject = describeItem(groupResource, obj.metadata?.namespace, obj.metadata?.name ?? '?');
  // A Secret's values stay out of the report (it is written to disk and shown): only the resource's name, which
  // the local copy carries anyway.
  const secret = obj.kind === 'Secret';
  const shown = (ref: AwsReference) =>
    !secret ? ref.text : ref.kind === 'resource' ? `${ref.name} (Secret value not shown)` : '(Secret value not shown)';
  return [...seen.values()].map(({ ref, to, where }): Adaptation => {
    const at = where.join(', ');
    const local =
      secret && to !== undefined && ref.kind === 'resource' ? localName(ref.service, ref.name, ctx.aws!) : to;
    return to !== undefined
      ? { kind: 'aws-reference', subject, change: `${describeReference(ref)} ${shown(ref)} → ${local} (${at})` }
      : {
          kind: 'aws-reference',
          subject,
          change: `${describeReference(ref)} ${shown(ref)} ${whyKept(ref, ctx.aws)} (${at})`,
          gap: true,
        };
  });
};
