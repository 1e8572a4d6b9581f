import { bucketNameProblem, queueNameProblem } from '../snapshot/targetNames';

/**
 * Finds references to real AWS (the commercial partition, `aws` / `amazonaws.com`) inside one string: SQS queue
 * URLs, SQS/DynamoDB/S3 ARNs, `s3://` URIs, virtual-hosted and path-style S3 URLs, and the bare service endpoints of
 * SQS, DynamoDB and S3. Pure: no I/O.
 *
 * A reference is only what a whole, well-formed identifier says: a queue name glued to more name characters, a host
 * that merely starts with `sqs.<region>.amazonaws.com` (`….amazonaws.com.cn`, `….amazonaws.com.evil.example`) or an
 * ARN of another partition never becomes a resource reference. What still points at AWS but is not one Drydock
 * copies (SNS, Lambda, another partition, an unknown AWS host) is returned as `other`, so the report names it.
 */

export type AwsCopiedService = 'sqs' | 'dynamodb' | 's3';

interface Span {
  /** The exact text matched; a rewrite replaces exactly this. */
  text: string;
  start: number;
  end: number;
}

/** A queue, table or bucket in real AWS. `text` covers the identifier up to the resource name (not an S3 key). */
export interface AwsResourceReference extends Span {
  kind: 'resource';
  service: AwsCopiedService;
  form: 'queue-url' | 'arn' | 's3-uri' | 's3-url' | 'name';
  /** Queue, table or bucket name. */
  name: string;
  region?: string;
  account?: string;
  /** `s3://`, `s3a://`, `s3n://` (kept on rewrite). */
  scheme?: string;
}

/** A service endpoint of real AWS (`https://sqs.eu-west-1.amazonaws.com`), with nothing after it. */
export interface AwsEndpointReference extends Span {
  kind: 'endpoint';
  service: AwsCopiedService;
  region?: string;
}

/** Points at real AWS, but at nothing Drydock copies: reported, never rewritten. */
export interface OtherAwsReference extends Span {
  kind: 'other';
  /** For a person: `SNS ARN`, `AWS endpoint sns.eu-west-1.amazonaws.com`, `ARN of partition aws-cn`. */
  what: string;
}

export type AwsReference = AwsResourceReference | AwsEndpointReference | OtherAwsReference;

const REGION = '[a-z]{2}(?:-[a-z]+)+-\\d{1,2}';
/** Commercial-partition regions only: GovCloud (`us-gov-*`) and China (`cn-*`) belong to other partitions. */
const isCommercialRegion = (region: string) => !region.startsWith('us-gov-') && !region.startsWith('cn-');
const ACCOUNT = '[A-Za-z0-9]{12}';
const PORT = '(?::\\d{1,5})?';
const QUEUE = '[A-Za-z0-9_-]{1,80}(?:\\.fifo)?';
const BUCKET = '[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]';
/** Not followed by more of a name (a queue `orders` is not `orders-dlq`, `orders.x` or `orders/1`). */
const NAME_END = '(?![A-Za-z0-9_\\-/]|\\.[A-Za-z0-9_-])';
/** A bucket ends where its name does: at `/`, `?`, `#`, the end, or a character no bucket name holds. */
const BUCKET_END = '(?![a-z0-9.-]*[a-z0-9])';
/** A host ends where no more host characters follow (not `…amazonaws.com.cn`, not `…amazonaws.com-x`). */
const HOST_END = '(?![A-Za-z0-9.-]*[A-Za-z0-9])';

interface Matcher {
  re: RegExp;
  make(m: RegExpExecArray): AwsReference | undefined;
}

const span = (m: RegExpExecArray): Span => ({ text: m[0], start: m.index, end: m.index + m[0].length });

function resource(
  m: RegExpExecArray,
  service: AwsCopiedService,
  form: AwsResourceReference['form'],
  name: string,
  extra: Partial<AwsResourceReference> = {},
): AwsReference | undefined {
  const region = extra.region;
  if (region !== undefined && region !== '' && !isCommercialRegion(region))
    return { kind: 'other', what: `${SERVICE_LABEL[service]} in region ${region} (another AWS partition)`, ...span(m) };
  if (service === 's3' && bucketNameProblem(name) !== undefined) return undefined;
  if (service === 'sqs' && queueNameProblem(name, name.endsWith('.fifo')) !== undefined) return undefined;
  return { kind: 'resource', service, form, name, ...extra, ...span(m) };
}

const SERVICE_LABEL: Record<AwsCopiedService, string> = { sqs: 'SQS', dynamodb: 'DynamoDB', s3: 'S3' };

const MATCHERS: Matcher[] = [
  // SQS queue URLs: sqs.<region>.amazonaws.com, <region>.queue.amazonaws.com, legacy queue.amazonaws.com (us-east-1).
  {
    re: new RegExp(
      `https?://(?:sqs(?:-fips)?\\.(${REGION})\\.amazonaws\\.com|(${REGION})\\.queue\\.amazonaws\\.com|queue\\.amazonaws\\.com)${PORT}/(${ACCOUNT})/(${QUEUE})${NAME_END}`,
      'g',
    ),
    make: (m) => resource(m, 'sqs', 'queue-url', m[4]!, { region: m[1] ?? m[2] ?? 'us-east-1', account: m[3] }),
  },
  // Bare service endpoints (what AWS_ENDPOINT_URL_SQS and the like hold), nothing after but an optional '/'.
  {
    re: new RegExp(
      `https?://(?:(sqs|dynamodb|s3)(?:-fips)?[.-](${REGION})|(${REGION})\\.queue|(queue|s3))\\.amazonaws\\.com${PORT}/?(?![A-Za-z0-9_.~%/?#-])`,
      'g',
    ),
    make(m) {
      const service = (m[1] ?? (m[3] || m[4] === 'queue' ? 'sqs' : 's3')) as AwsCopiedService;
      const region = m[2] ?? m[3];
      if (region !== undefined && !isCommercialRegion(region))
        return { kind: 'other', what: `${SERVICE_LABEL[service]} endpoint of another AWS partition`, ...span(m) };
      return { kind: 'endpoint', service, region, ...span(m) };
    },
  },
  // Virtual-hosted S3: <bucket>.s3.amazonaws.com, <bucket>.s3.<region>…, <bucket>.s3-<region>…, dualstack.
  {
    re: new RegExp(
      `https?://(${BUCKET})\\.s3(?:[.-](${REGION})|\\.dualstack\\.(${REGION}))?\\.amazonaws\\.com${PORT}${HOST_END}`,
      'g',
    ),
    make: (m) => resource(m, 's3', 's3-url', m[1]!, { region: m[2] ?? m[3] }),
  },
  // Path-style S3: s3.amazonaws.com/<bucket>, s3.<region>…/<bucket>, s3-<region>…/<bucket>, dualstack.
  {
    re: new RegExp(
      `https?://s3(?:[.-](${REGION})|\\.dualstack\\.(${REGION}))?\\.amazonaws\\.com${PORT}/(${BUCKET})${BUCKET_END}`,
      'g',
    ),
    make: (m) => resource(m, 's3', 's3-url', m[3]!, { region: m[1] ?? m[2] }),
  },
  // s3://bucket[/key] (and Hadoop's s3a:// / s3n://).
  {
    re: new RegExp(`(?<![A-Za-z0-9])(s3[an]?://)(${BUCKET})${BUCKET_END}`, 'g'),
    make: (m) => resource(m, 's3', 's3-uri', m[2]!, { scheme: m[1] }),
  },
  // ARNs of the copied services.
  {
    re: new RegExp(`(?<![A-Za-z0-9:])arn:aws:sqs:(${REGION}):(${ACCOUNT}):(${QUEUE})${NAME_END}`, 'g'),
    make: (m) => resource(m, 'sqs', 'arn', m[3]!, { region: m[1], account: m[2] }),
  },
  {
    re: new RegExp(
      `(?<![A-Za-z0-9:])arn:aws:dynamodb:(${REGION}):(${ACCOUNT}):table/([A-Za-z0-9_.-]{3,255})(?![A-Za-z0-9_.-])`,
      'g',
    ),
    make: (m) => resource(m, 'dynamodb', 'arn', m[3]!, { region: m[1], account: m[2] }),
  },
  {
    re: new RegExp(`(?<![A-Za-z0-9:])arn:aws:s3:::(${BUCKET})${BUCKET_END}`, 'g'),
    make: (m) => resource(m, 's3', 'arn', m[1]!),
  },
];

/** Anything else that points at AWS: other ARNs and other hosts of the AWS domains. Reported, never rewritten. */
const OTHER_MATCHERS: Matcher[] = [
  {
    re: /(?<![A-Za-z0-9:])arn:(aws[a-z-]*):([a-z0-9-]+):[^\s"'`<>,;]*/g,
    make(m) {
      const partition = m[1]!;
      const service = m[2]!;
      const what = partition !== 'aws' ? `${service} ARN of partition ${partition}` : `${service.toUpperCase()} ARN`;
      return { kind: 'other', what, ...span(m) };
    },
  },
  {
    re: /(?<![A-Za-z0-9.-])(?:[A-Za-z0-9-]+\.)*(?:amazonaws\.com(?:\.cn)?|api\.aws|amazonaws\.eu)(?![A-Za-z0-9-]|\.[A-Za-z0-9])/g,
    make: (m) => ({ kind: 'other', what: `AWS host ${m[0]}`, ...span(m) }),
  },
];

/**
 * Every AWS reference in `value`, in order, none overlapping: at each position the earliest, then longest, match
 * of the copied services wins; what remains that still names AWS is reported as `other`.
 */
export function findAwsReferences(value: string): AwsReference[] {
  if (!/amazonaws|arn:aws|s3[an]?:\/\/|api\.aws/.test(value)) return [];
  const found = collect(value, MATCHERS, []);
  return collect(value, OTHER_MATCHERS, found).sort((a, b) => a.start - b.start);
}

function collect(value: string, matchers: readonly Matcher[], taken: AwsReference[]): AwsReference[] {
  const candidates: AwsReference[] = [];
  for (const matcher of matchers) {
    matcher.re.lastIndex = 0;
    for (let m = matcher.re.exec(value); m; m = matcher.re.exec(value)) {
      const ref = matcher.make(m);
      if (ref) candidates.push(ref);
      if (m[0] === '') matcher.re.lastIndex++;
    }
  }
  candidates.sort((a, b) => a.start - b.start || b.end - a.end);
  const out = [...taken];
  for (const c of candidates) if (!out.some((t) => c.start < t.end && t.start < c.end)) out.push(c);
  return out;
}
