import { parseArgs } from 'node:util';
import { version } from '../../package.json';
import { createAwsClients, type AwsClients } from '../core/aws/clients';
import { loadKubeConfig } from '../core/kube/kubeconfig';
import { primeHostLocality } from '../core/guard/local';
import { describeAuthenticity } from '../core/snapshot/manifestAuthenticator';
import { KubeRawClient } from '../core/kube/rawClient';
import { DrydockError, describeError } from '../core/errors';
import { stderrLogger } from '../core/log';
import { writeIdentityFile } from '../core/snapshot/identityFile';
import { secretKeyFromEnv } from './secretKeyFromEnv';
import { resolve } from 'node:path';
import { describeVeleroBackup, resolveRecoveryPoint } from '../core/velero';
import {
  createSnapshot,
  restoreSnapshot,
  inspectSnapshot,
  listSnapshots,
  parseNamespaceMap,
  SnapshotInvalidError,
  type RestoreReport,
  type ProgressEvent,
  type ExistingPolicy,
} from '../core/snapshot';
import { serviceEndpointOptions, serviceEndpointUsage, serviceEndpoints } from './serviceEndpoints';
import { adaptOptions, adaptUsage, formatAdaptations } from './adaptOptions';
import { knownAwsSettingsOf } from '../core/adapt/awsLocalCopyStep';

/** Exit codes of snapshot and restore commands (documented in the help). */
export const SnapshotExit = { ok: 0, failed: 1, usage: 2, partial: 3, invalidSnapshot: 4, refused: 5 } as const;

export const snapshotUsage = `Snapshots:
  snapshot create <target>     capture namespaces and AWS resources into <target> (a directory, or a file ending .tar.gz)
      -n, --namespace NS         namespace to capture (repeatable)
      --queue NAME --table NAME --bucket NAME   AWS resources to capture (repeatable)
      --no-detect                do not add the queues/tables/buckets the namespaces reference
      --cluster-rbac             also capture ClusterRoleBindings (and their ClusterRoles) that bind into the namespaces
      --plain-secrets            write Secrets unencrypted (otherwise a passphrase or identity file is required, below)
      --fifo-drain               capture FIFO queues completely by draining them and sending every message back in order
                                 (where the emulator cannot list without receiving; stop their producers and consumers first)
  snapshot keygen <file>       write a new age identity file (owner-only) for DRYDOCK_SNAPSHOT_IDENTITY_FILE
  snapshot list <folder>       list the snapshots in a folder, each validated
  snapshot inspect <snapshot>  validate a snapshot and show its contents (no passphrase needed); a Velero backup too
  snapshot diff <snapshot>     compare a snapshot with the live cluster and AWS (a dry-run restore)
  restore <snapshot>           restore a snapshot
      --namespace-map OLD:NEW    restore namespace OLD as NEW (repeatable, or comma-separated)
      --aws-prefix P --aws-suffix S   restore AWS resources under new names; references inside the restored namespaces are rewritten
      --existing skip|update|recreate   what to do with objects that already exist (default skip)
      --dry-run                  say what would be created/updated/skipped, and how the snapshot differs from live
      ${adaptUsage}
      --aws-from SNAPSHOT        the local copies of the production AWS resources the objects reference take the
                                 settings of the same-named queues and tables of this Drydock snapshot (not their data)
      --no-aws / --no-kube       restore only one part
      --allow-context NAME --allow-endpoint URL   explicitly allow a target that is not local
      --allow-cluster-scoped     create what reaches beyond the namespaces (cluster-scoped objects, RoleBindings to
                                 ClusterRoles, webhooks); without it such a recovery point is refused (a dry run lists them)
Common options:
  --kubeconfig PATH  --context NAME  --aws-endpoint URL (default http://localhost:4566)  --region R
  ${serviceEndpointUsage}
  --json (machine-readable output on stdout)  -v, --verbose
Secrets are encrypted with age, to a key protected by the passphrase in DRYDOCK_SNAPSHOT_PASSPHRASE, or to the
age identity in the file DRYDOCK_SNAPSHOT_IDENTITY_FILE (age-keygen's format; no passphrase, no scrypt: for CI).
Exit codes: 0 ok, 1 failed, 2 usage error, 3 partial restore (some items failed), 4 invalid snapshot
(corrupt, truncated, tampered, unknown version, unsafe path, wrong passphrase), 5 refused by the local-only guard.
`;

const options = {
  namespace: { type: 'string', short: 'n', multiple: true },
  queue: { type: 'string', multiple: true },
  table: { type: 'string', multiple: true },
  bucket: { type: 'string', multiple: true },
  'no-detect': { type: 'boolean' },
  'cluster-rbac': { type: 'boolean' },
  'plain-secrets': { type: 'boolean' },
  'fifo-drain': { type: 'boolean' },
  'namespace-map': { type: 'string', multiple: true },
  'aws-prefix': { type: 'string' },
  'aws-suffix': { type: 'string' },
  existing: { type: 'string' },
  'dry-run': { type: 'boolean' },
  'no-aws': { type: 'boolean' },
  'no-kube': { type: 'boolean' },
  'allow-context': { type: 'string', multiple: true },
  'allow-endpoint': { type: 'string', multiple: true },
  'allow-cluster-scoped': { type: 'boolean' },
  'no-adapt': { type: 'boolean' },
  adapt: { type: 'boolean' },
  'storage-class-map': { type: 'string', multiple: true },
  'aws-from': { type: 'string' },
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  'aws-endpoint': { type: 'string' },
  ...serviceEndpointOptions,
  region: { type: 'string' },
  profile: { type: 'string' },
  json: { type: 'boolean' },
  verbose: { type: 'boolean', short: 'v' },
} as const;

class UsageError extends Error {}

type Values = ReturnType<typeof parse>['values'];

function parse(args: string[]) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function progressPrinter(json: boolean) {
  let last = 0;
  return (e: ProgressEvent) => {
    const now = Date.now();
    if (e.done !== undefined && now - last < 250 && e.done !== e.total) return;
    last = now;
    const count = e.done !== undefined ? ` (${e.done}${e.total !== undefined ? `/${e.total}` : ''})` : '';
    process.stderr.write(`${json ? '' : '· '}${e.phase}: ${e.message}${count}\n`);
  };
}

/**
 * Resolves the host names of the targets a write would go to, so the local-only guard judges them by
 * their addresses (a host name that was not resolved is refused).
 */
async function primeGuard(kube: KubeRawClient | undefined, aws: AwsClients | undefined): Promise<void> {
  await primeHostLocality([kube?.server, aws?.endpoint.url]);
}

function kubeClient(v: Values): KubeRawClient {
  const kc = loadKubeConfig(v.kubeconfig ? [v.kubeconfig] : undefined);
  return new KubeRawClient(kc, v.context);
}

function awsClients(v: Values): AwsClients {
  return createAwsClients({
    url: v['aws-endpoint'] ?? process.env.DRYDOCK_AWS_ENDPOINT ?? 'http://localhost:4566',
    region: v.region ?? process.env.AWS_REGION ?? 'us-east-1',
    services: (() => {
      try {
        return serviceEndpoints(v);
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
    })(),
  });
}

/** Where a Velero backup on S3 is read from: --aws-endpoint only when given (else the AWS way: env, profile). */
function s3Location(v: Values) {
  return { endpoint: v['aws-endpoint'], region: v.region, profile: v.profile };
}

function out(v: Values, data: unknown, text: string): void {
  process.stdout.write(v.json ? JSON.stringify(data, null, 2) + '\n' : text);
}

/** Runs `snapshot …` and `restore …`; returns the exit code. */
export async function runSnapshotCommand(command: 'snapshot' | 'restore', argv: string[]): Promise<number> {
  let v: Values;
  let positionals: string[];
  try {
    ({ values: v, positionals } = parse(argv));
  } catch (error) {
    process.stderr.write(`drydock: ${(error as Error).message}\n\n${snapshotUsage}`);
    return SnapshotExit.usage;
  }
  const logger = stderrLogger(!!v.verbose);
  const progress = progressPrinter(!!v.json);
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  try {
    const sub = command === 'restore' ? 'restore' : positionals.shift();
    const target = positionals[0];
    if (!target || positionals.length > 1) throw new UsageError(`${command} ${sub ?? ''}: expected exactly one path`);
    switch (sub) {
      case 'create': {
        const namespaces = v.namespace ?? [];
        const anyAws = !!(v.queue?.length || v.table?.length || v.bucket?.length);
        if (!namespaces.length && !anyAws)
          throw new UsageError('snapshot create: name at least one --namespace, --queue, --table or --bucket');
        const key = v['plain-secrets'] ? undefined : await secretKeyFromEnv();
        if (!key && !v['plain-secrets'])
          throw new UsageError(
            'snapshot create: set DRYDOCK_SNAPSHOT_PASSPHRASE (or DRYDOCK_SNAPSHOT_IDENTITY_FILE) to encrypt Secrets, or pass --plain-secrets to write them unencrypted',
          );
        const aws = v['no-aws'] ? undefined : awsClients(v);
        try {
          const result = await createSnapshot({
            target,
            kube: namespaces.length
              ? { client: kubeClient(v), namespaces, includeClusterRbac: v['cluster-rbac'] }
              : undefined,
            aws: aws
              ? {
                  clients: aws,
                  queues: v.queue,
                  tables: v.table,
                  buckets: v.bucket,
                  autoDetect: !v['no-detect'] && namespaces.length > 0,
                  fifoDrain: v['fifo-drain'],
                }
              : undefined,
            secrets: key ?? 'plain',
            toolVersion: version,
            signal: controller.signal,
            progress,
            logger,
          });
          const c = result.manifest.counts;
          out(
            v,
            { path: result.path, detected: result.detected, counts: c, skipped: result.manifest.skipped },
            `Snapshot written to ${result.path}: ${c.items} objects (${c.secrets} secrets ${result.manifest.encryption.secrets === 'age' ? 'encrypted' : 'IN PLAIN TEXT'}), ${c.skipped} skipped, ${c.sqsMessages} messages, ${c.dynamodbItems} items, ${c.s3Objects} objects (${c.s3Bytes} bytes).\n`,
          );
          return SnapshotExit.ok;
        } finally {
          aws?.destroy();
        }
      }
      case 'keygen': {
        const recipient = await writeIdentityFile(target);
        out(
          v,
          { file: target, recipient },
          `Wrote the age identity ${target} (owner-only). Public key: ${recipient}\nKeep it safe: snapshots made with DRYDOCK_SNAPSHOT_IDENTITY_FILE=${target} can only be opened with it.\n`,
        );
        return SnapshotExit.ok;
      }
      case 'inspect': {
        const rp = await resolveRecoveryPoint(target, {
          toolVersion: version,
          s3: s3Location(v),
          signal: controller.signal,
        });
        let s: Awaited<ReturnType<typeof inspectSnapshot>>;
        try {
          s = await inspectSnapshot(rp.path, controller.signal);
        } finally {
          await rp.close();
        }
        if (rp.velero) s.path = target;
        const m = s.manifest!;
        const lines = [
          ...(rp.velero ? describeVeleroBackup(rp.velero) : []),
          `${s.path} (${s.format}), valid, schema ${m.schemaVersion}, taken ${m.createdAt} by drydock ${m.tool.version}`,
          m.source.kube
            ? `Kubernetes: context ${m.source.kube.context} (${m.source.kube.server}), namespaces ${m.source.kube.namespaces.join(', ')}`
            : 'Kubernetes: none',
          ...m.resources.map((r) => `  ${r.group ? `${r.resource}.${r.group}` : r.resource}: ${r.count}`),
          `Skipped: ${m.skipped.length}`,
          ...m.skipped
            .slice(0, 20)
            .map(
              (i) =>
                `  ${i.group ? `${i.resource}.${i.group}` : i.resource}/${i.namespace ?? ''}/${i.name}: ${i.reason}`,
            ),
          `Secrets: ${m.counts.secrets} (${m.encryption.secrets === 'age' ? 'encrypted with age' : 'plain text'})`,
          `Authenticity: ${describeAuthenticity(m.authenticator ? 'not-verified' : 'none')}`,
          m.source.aws ? `AWS: ${m.source.aws.endpoint} (${m.source.aws.region})` : 'AWS: none',
          ...m.aws.sqs.map((q) => `  sqs ${q.name}: ${q.messages} messages`),
          ...m.aws.dynamodb.map((t) => `  dynamodb ${t.name}: ${t.items} items`),
          ...m.aws.s3.map((b) => `  s3 ${b.name}: ${b.objects} objects, ${b.bytes} bytes`),
        ];
        out(
          v,
          rp.velero
            ? { ...s, velero: { source: rp.velero.source, info: rp.velero.info, reported: rp.velero.reported } }
            : s,
          lines.join('\n') + '\n',
        );
        return SnapshotExit.ok;
      }
      case 'list': {
        const list = await listSnapshots(target, controller.signal);
        out(
          v,
          list,
          list
            .map((s) =>
              s.valid
                ? `${s.path}  ${s.manifest!.createdAt}  ${s.manifest!.counts.items} objects`
                : `${s.path}  INVALID: ${s.problem}`,
            )
            .join('\n') + (list.length ? '\n' : 'No snapshots.\n'),
        );
        return SnapshotExit.ok;
      }
      case 'diff':
      case 'restore': {
        const dryRun = sub === 'diff' || !!v['dry-run'];
        const existing = (v.existing ?? 'skip') as ExistingPolicy;
        if (!['skip', 'update', 'recreate'].includes(existing))
          throw new UsageError(`--existing must be skip, update or recreate, not "${v.existing}"`);
        let namespaceMap: Map<string, string>;
        try {
          namespaceMap = parseNamespaceMap(v['namespace-map'] ?? []);
        } catch (error) {
          throw new UsageError((error as Error).message);
        }
        let adapt: ReturnType<typeof adaptOptions>;
        try {
          adapt = adaptOptions(v);
        } catch (error) {
          throw new UsageError((error as Error).message);
        }
        // Read before the backup is opened: a snapshot without queues or tables is refused up front.
        const knownAwsSettings = v['aws-from']
          ? await knownAwsSettingsOf(resolve(v['aws-from']), controller.signal)
          : undefined;
        const rp = await resolveRecoveryPoint(target, {
          keySource: await secretKeyFromEnv(),
          toolVersion: version,
          s3: s3Location(v),
          signal: controller.signal,
        });
        const aws = v['no-aws'] ? undefined : awsClients(v);
        try {
          const kube = v['no-kube'] ? undefined : kubeClient(v);
          await primeGuard(kube, aws);
          const report = await restoreSnapshot({
            source: rp.path,
            keySource: rp.keySource,
            kube: kube ? { client: kube, namespaceMap } : undefined,
            aws: aws ? { clients: aws, prefix: v['aws-prefix'], suffix: v['aws-suffix'] } : undefined,
            existing,
            dryRun,
            allow: { contexts: v['allow-context'], awsEndpoints: v['allow-endpoint'] },
            allowBeyondNamespaces: v['allow-cluster-scoped'],
            adapt,
            knownAwsSettings,
            signal: controller.signal,
            progress,
            logger,
          });
          out(
            v,
            rp.velero
              ? { ...report, velero: { source: rp.velero.source, info: rp.velero.info, reported: rp.velero.reported } }
              : report,
            (rp.velero ? describeVeleroBackup(rp.velero).join('\n') + '\n' : '') + formatReport(report),
          );
          return report.status === 'ok'
            ? SnapshotExit.ok
            : report.status === 'partial'
              ? SnapshotExit.partial
              : SnapshotExit.failed;
        } finally {
          aws?.destroy();
          await rp.close();
        }
      }
      default:
        throw new UsageError(`unknown snapshot command "${sub ?? ''}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`drydock: ${error.message}\n\n${snapshotUsage}`);
      return SnapshotExit.usage;
    }
    // A name the target would refuse, a bad mapping or kubeconfig: a usage error, found before anything was written.
    const code = SnapshotInvalidError.isInvalid(error)
      ? SnapshotExit.invalidSnapshot
      : DrydockError.is(error, 'not-local')
        ? SnapshotExit.refused
        : DrydockError.is(error, 'invalid-input')
          ? SnapshotExit.usage
          : SnapshotExit.failed;
    if (v.json)
      process.stdout.write(
        JSON.stringify(
          {
            error: {
              code: DrydockError.is(error) ? error.code : 'failed',
              message: describeError(error),
              entry: SnapshotInvalidError.isInvalid(error) ? error.entry : undefined,
            },
          },
          null,
          2,
        ) + '\n',
      );
    process.stderr.write(`drydock: ${describeError(error)}\n`);
    return code;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

function formatReport(r: RestoreReport): string {
  const head =
    `${r.dryRun ? 'Dry run' : 'Restore'} ${r.status.toUpperCase()} in ${(r.durationMs / 1000).toFixed(1)} s: ` +
    `${r.counts.created} ${r.dryRun ? 'to create' : 'created'}, ${r.counts.updated} ${r.dryRun ? 'to update' : 'updated'}, ${r.counts.recreated} ${r.dryRun ? 'to recreate' : 'recreated'}, ${r.counts.skipped} skipped, ${r.counts.failed} failed`;
  const lines = r.items
    .filter((i) => r.dryRun || i.outcome !== 'created')
    .map(
      (i) =>
        `  ${i.outcome.padEnd(9)} ${i.id}${i.count !== undefined ? ` (${i.count})` : ''}${i.message ? `: ${i.message}` : ''}${i.changes?.length ? `\n            ${i.changes.slice(0, 20).join('\n            ')}` : ''}`,
    );
  const rewrites = r.rewrites.length
    ? [`References rewritten: ${r.rewrites.map((w) => `${w.id} (${w.count})`).join(', ')}`]
    : [];
  const authenticity =
    r.authenticity && r.authenticity !== 'verified' ? [`Recovery point: ${describeAuthenticity(r.authenticity)}`] : [];
  const beyond = r.beyondNamespaces?.length
    ? [
        `Beyond its namespaces (${r.dryRun ? 'needs --allow-cluster-scoped' : 'allowed'}):`,
        ...r.beyondNamespaces.map((b) => `  ${b.id}: ${b.why}`),
      ]
    : [];
  return [head, ...lines, ...rewrites, ...formatAdaptations(r.adapted), ...beyond, ...authenticity].join('\n') + '\n';
}
