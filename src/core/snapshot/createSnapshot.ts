import type { KubeRawClient } from '../kube/rawClient';
import type { AwsClients } from '../aws/clients';
import { silentLogger, type Logger } from '../log';
import { SnapshotWriter } from './archive/snapshotWriter';
import { captureKube } from './kube/captureKube';
import { KEY_PATH } from './layout';
import { newManifest, type SnapshotManifest } from './manifest';
import { noProgress, throwIfAborted, type ProgressCallback } from './progress';
import { createSnapshotKey, encryptWithRecipient, type SecretKeySource } from './secretCrypto';
import { captureSqsQueue } from './aws/sqsSnapshot';
import { sqsPeekEndpoint } from '../aws/sqsPeekSupport';
import { captureDynamoTable } from './aws/dynamodbSnapshot';
import { captureS3Bucket } from './aws/s3Snapshot';
import { listAwsInventory } from '../aws/inventory';
import { ReferenceCollector } from './aws/detectReferences';

export interface CreateSnapshotOptions {
  /** A directory path, or a file ending in `.tar.gz`/`.tgz`. Must not exist yet. */
  target: string;
  kube?: { client: KubeRawClient; namespaces: string[]; includeClusterRbac?: boolean };
  aws?: {
    clients: AwsClients;
    queues?: string[];
    tables?: string[];
    buckets?: string[];
    /** Also capture every queue, table and bucket the namespaces reference. */
    autoDetect?: boolean;
    /**
     * The user consented to capturing FIFO queues by draining and re-sending them in order (needed where the
     * emulator has no side-effect-free listing: a FIFO queue hides the rest of a group while one is received).
     */
    fifoDrain?: boolean;
  };
  /** How Secrets are protected; `'plain'` is the explicit opt-out (secrets in clear text). */
  secrets: SecretKeySource | 'plain';
  toolVersion: string;
  signal?: AbortSignal;
  progress?: ProgressCallback;
  logger?: Logger;
}

export interface CreateSnapshotResult {
  path: string;
  manifest: SnapshotManifest;
  /** AWS resources added because the namespaces reference them. */
  detected: { queues: string[]; tables: string[]; buckets: string[] };
}

/**
 * Takes one recovery point: the namespaces' Kubernetes objects and the chosen (and referenced) AWS
 * resources, into a new directory or .tar.gz. On any failure or cancel nothing is left at `target`.
 */
export async function createSnapshot(opts: CreateSnapshotOptions): Promise<CreateSnapshotResult> {
  const progress = opts.progress ?? noProgress;
  const logger = opts.logger ?? silentLogger;
  const { signal } = opts;
  const manifest = newManifest(opts.toolVersion);
  const writer = await SnapshotWriter.create(opts.target);
  const detected = { queues: [] as string[], tables: [] as string[], buckets: [] as string[] };
  // The key is made when the first Secret needs it: a passphrase's scrypt costs about half a second and
  // 256 MB, which a snapshot without Secrets (AWS data only) need not pay. Secrets are encrypted to the
  // key's public recipient while the scrypt that wraps it runs on the thread pool;
  // the key entry is written when that is done.
  let keyEntry: Promise<void> | undefined;
  let recipient: Promise<string> | undefined;
  let snapshotKey: ReturnType<typeof createSnapshotKey> | undefined;
  const makeKey = (source: SecretKeySource): Promise<string> => {
    const key = (snapshotKey = createSnapshotKey(source));
    keyEntry = key.then(async (k) => {
      manifest.encryption.recipient = k.recipient;
      if (!k.keyFile) return;
      await writer.writeEntry(KEY_PATH, await k.keyFile);
      manifest.encryption.keyEntry = KEY_PATH;
    });
    keyEntry.catch(() => undefined);
    return key.then((k) => k.recipient);
  };
  const secrets = opts.secrets;
  const encryptSecret =
    secrets === 'plain'
      ? undefined
      : async (json: string) => encryptWithRecipient(await (recipient ??= makeKey(secrets)), json);
  if (secrets !== 'plain') manifest.encryption = { secrets: 'age' };
  else logger.warn('Secrets are written in plain text (explicit opt-out).');

  try {
    let collector: ReferenceCollector | undefined;
    if (opts.aws?.autoDetect && opts.kube)
      collector = new ReferenceCollector(await listAwsInventory(opts.aws.clients, signal));

    if (opts.kube) {
      manifest.source.kube = {
        context: opts.kube.client.contextName,
        server: opts.kube.client.server,
        namespaces: [...opts.kube.namespaces],
      };
      await captureKube(writer, manifest, {
        client: opts.kube.client,
        namespaces: opts.kube.namespaces,
        includeClusterRbac: opts.kube.includeClusterRbac,
        encryptSecret,
        onObject: collector ? (o) => collector.add(o) : undefined,
        signal,
        progress,
        logger,
      });
    }

    if (opts.aws) {
      const { clients } = opts.aws;
      manifest.source.aws = { endpoint: clients.endpoint.url, region: clients.endpoint.region };
      const found = collector?.result();
      const pick = (explicit: string[] | undefined, auto: string[] | undefined, out: string[]) => {
        const all = new Set(explicit ?? []);
        for (const n of auto ?? []) {
          if (!all.has(n)) {
            all.add(n);
            out.push(n);
          }
        }
        return [...all].sort();
      };
      const queues = pick(opts.aws.queues, found?.queues, detected.queues);
      const tables = pick(opts.aws.tables, found?.tables, detected.tables);
      const buckets = pick(opts.aws.buckets, found?.buckets, detected.buckets);
      const ctx = { signal, progress, logger, fifoDrain: opts.aws.fifoDrain };
      const peekEndpoint = queues.length ? await sqsPeekEndpoint(clients.endpoint, signal) : undefined;
      if (peekEndpoint)
        logger.info(`SQS on ${peekEndpoint} is LocalStack: messages are captured through its peek (no receive).`);
      for (const q of queues) {
        throwIfAborted(signal);
        progress({ phase: 'sqs', message: `Capturing queue ${q}` });
        const s = await captureSqsQueue(writer, clients.sqs, q, ctx, { peekEndpoint });
        manifest.aws.sqs.push(s);
        manifest.counts.sqsMessages += s.messages;
      }
      for (const t of tables) {
        throwIfAborted(signal);
        progress({ phase: 'dynamodb', message: `Capturing table ${t}` });
        const s = await captureDynamoTable(writer, clients.dynamodb, t, ctx);
        manifest.aws.dynamodb.push(s);
        manifest.counts.dynamodbItems += s.items;
      }
      for (const b of buckets) {
        throwIfAborted(signal);
        progress({ phase: 's3', message: `Capturing bucket ${b}` });
        const s = await captureS3Bucket(writer, clients.s3, b, ctx);
        manifest.aws.s3.push(s);
        manifest.counts.s3Objects += s.objects;
        manifest.counts.s3Bytes += s.bytes;
      }
    }
    // Made with a key (even one with no Secret to encrypt): the manifest is authenticated under that key.
    if (secrets !== 'plain') await (recipient ??= makeKey(secrets));
    await keyEntry;
    throwIfAborted(signal);
    progress({ phase: 'write', message: `Writing ${writer.format} ${opts.target}` });
    await writer.commit(manifest, { authenticateWith: snapshotKey && (await snapshotKey).identity });
    return { path: opts.target, manifest, detected };
  } catch (error) {
    await keyEntry?.catch(() => undefined);
    await writer.abort();
    throw error;
  }
}
