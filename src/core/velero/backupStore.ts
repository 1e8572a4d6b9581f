import { createReadStream, createWriteStream } from 'node:fs';
import { lstat, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { isBucketMissing } from '../aws/awsErrors';
import { createAwsClients, type AwsClients, type AwsEndpoint } from '../aws/clients';
import { getObjectStream, listLevel } from '../aws/s3';
import { putObjectStream } from '../aws/s3Admin';
import { awsConfigPath, normaliseEndpointUrl, readAwsProfiles } from '../aws/endpoints';
import { DrydockError } from '../errors';
import { isLoopbackUrl } from '../guard/local';
import { assertAwsWritable, type WriteAllowList } from '../snapshot/writeGuard';
import { isValidBackupName } from './veleroLayout';

/**
 * A Velero backup storage location: an S3-compatible bucket (with an optional prefix) or a folder on disk
 * laid out the same way. Keys are relative to the location (`backups/<name>/…`).
 */
export interface BackupStore {
  /** `s3://bucket/prefix (endpoint)` or the folder's path. */
  readonly label: string;
  readonly kind: 's3' | 'folder';
  /** Names of the folders under `backups/`. */
  listBackupNames(signal?: AbortSignal): Promise<string[]>;
  /** Names at the top of the location (Velero allows only its own prefixes there). */
  topLevelNames(signal?: AbortSignal): Promise<string[]>;
  /** The bytes of one key, streamed; undefined when it does not exist. */
  open(key: string, signal?: AbortSignal): Promise<Readable | undefined>;
  /** Writes one key (refused by the local-only guard unless the location is local or allowed). */
  put(key: string, body: Buffer | (() => Readable), length: number, signal?: AbortSignal): Promise<void>;
  /** Throws 'not-local' when writes to this location are not allowed. */
  assertWritable(allow?: WriteAllowList): void;
  close(): void;
}

/** How to reach an S3 location: the AWS way (flags, then `AWS_ENDPOINT_URL_S3`/`AWS_ENDPOINT_URL`, a profile's `endpoint_url`). */
export interface S3LocationOptions {
  endpoint?: string;
  region?: string;
  profile?: string;
}

/** `s3://bucket/prefix`, or a folder on disk. */
export async function openBackupStore(location: string, opts: S3LocationOptions = {}): Promise<BackupStore> {
  const s3 = /^s3:\/\/([^/]+)\/?(.*)$/.exec(location);
  if (s3) return S3BackupStore.create(s3[1]!, s3[2]!.replace(/\/+$/, ''), opts);
  return new FolderBackupStore(resolve(location));
}

/** Splits `…/backups/<name>` (folder or s3 URL) into its location and backup name. */
export function splitBackupAddress(address: string): { location: string; name: string } | undefined {
  const m = /^(.*?)\/?backups\/([^/]+)\/?$/.exec(address);
  if (!m || !isValidBackupName(m[2]!)) return undefined;
  return { location: m[1] || '.', name: m[2]! };
}

class FolderBackupStore implements BackupStore {
  readonly kind = 'folder' as const;
  constructor(private readonly root: string) {}

  get label(): string {
    return this.root;
  }

  private file(key: string): string {
    return join(this.root, ...key.split('/'));
  }

  async listBackupNames(): Promise<string[]> {
    const dir = join(this.root, 'backups');
    const entries = await readdir(dir, { withFileTypes: true }).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT')
        throw new DrydockError(
          'not-found',
          `${this.root} is not a Velero backup storage location: it has no backups/ folder.`,
        );
      throw e;
    });
    return entries
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
  }

  async topLevelNames(): Promise<string[]> {
    return (await readdir(this.root).catch(() => [] as string[])).sort();
  }

  async open(key: string): Promise<Readable | undefined> {
    const file = this.file(key);
    const st = await lstat(file).catch(() => undefined);
    if (!st) return undefined;
    if (!st.isFile())
      throw new DrydockError('invalid-input', `${file} is not a regular file (links are not followed).`);
    return createReadStream(file);
  }

  async put(key: string, body: Buffer | (() => Readable)): Promise<void> {
    const file = this.file(key);
    await mkdir(dirname(file), { recursive: true });
    const tmp = `${file}.partial`;
    await pipeline(Buffer.isBuffer(body) ? Readable.from([body]) : body(), createWriteStream(tmp, { mode: 0o644 }));
    await rename(tmp, file);
  }

  assertWritable(): void {
    /* a folder on this machine */
  }

  close(): void {}

  /** Removes a backup folder written half-way. */
  async remove(prefix: string): Promise<void> {
    await rm(this.file(prefix), { recursive: true, force: true });
  }
}

class S3BackupStore implements BackupStore {
  readonly kind = 's3' as const;
  private constructor(
    private readonly clients: AwsClients,
    private readonly bucket: string,
    private readonly prefix: string,
  ) {}

  static async create(bucket: string, prefix: string, opts: S3LocationOptions): Promise<S3BackupStore> {
    const profiles = await readAwsProfiles(awsConfigPath());
    const profileName = opts.profile ?? process.env.AWS_PROFILE;
    const profile = profileName ? profiles.find((p) => p.name === profileName) : undefined;
    if (profileName && opts.profile && !profile)
      throw new DrydockError('not-found', `No AWS profile "${profileName}" in ${awsConfigPath()}.`);
    const region =
      opts.region ?? profile?.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
    const url = normaliseEndpointUrl(
      opts.endpoint ??
        process.env.AWS_ENDPOINT_URL_S3 ??
        process.env.AWS_ENDPOINT_URL ??
        profile?.endpointUrl ??
        `https://s3.${region}.amazonaws.com`,
    );
    // Credentials from the environment (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY[/AWS_SESSION_TOKEN]); local emulators accept any.
    const env = process.env;
    const credentials: AwsEndpoint['credentials'] =
      env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
        ? {
            accessKeyId: env.AWS_ACCESS_KEY_ID,
            secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
            sessionToken: env.AWS_SESSION_TOKEN,
          }
        : undefined;
    if (!credentials && !isLoopbackUrl(url))
      throw new DrydockError(
        'invalid-input',
        `No AWS credentials for ${url}: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.`,
      );
    const clients = createAwsClients({ url, region, credentials });
    return new S3BackupStore(clients, bucket, prefix);
  }

  get label(): string {
    return `s3://${this.bucket}${this.prefix ? `/${this.prefix}` : ''} (${this.clients.endpoint.url})`;
  }

  private key(key: string): string {
    return this.prefix ? `${this.prefix}/${key}` : key;
  }

  private async listPrefixes(under: string, signal?: AbortSignal): Promise<string[]> {
    const base = this.key(under);
    let level;
    try {
      level = await listLevel(this.clients.s3, this.bucket, base, { signal });
    } catch (error) {
      if (signal?.aborted) throw new DrydockError('cancelled', 'Cancelled.', { cause: error });
      throw error;
    }
    return [
      ...level.prefixes.map((p) => p.slice(base.length).replace(/\/$/, '')),
      ...level.objects.map((o) => o.key.slice(base.length)),
    ].sort();
  }

  listBackupNames(signal?: AbortSignal): Promise<string[]> {
    return this.listPrefixes('backups/', signal);
  }

  topLevelNames(signal?: AbortSignal): Promise<string[]> {
    return this.listPrefixes('', signal);
  }

  async open(key: string, signal?: AbortSignal): Promise<Readable | undefined> {
    try {
      return (await getObjectStream(this.clients.s3, this.bucket, this.key(key), signal)).body;
    } catch (error) {
      if (DrydockError.is(error, 'not-found')) return undefined; // no such key
      if (isBucketMissing(error))
        throw new DrydockError('not-found', `Bucket ${this.bucket} does not exist at ${this.clients.endpoint.url}.`, {
          cause: error,
        });
      throw error;
    }
  }

  async put(key: string, body: Buffer | (() => Readable), length: number, signal?: AbortSignal): Promise<void> {
    const Body = Buffer.isBuffer(body) ? body : body();
    await putObjectStream(
      this.clients.s3,
      { Bucket: this.bucket, Key: this.key(key), Body, ContentLength: length },
      signal,
    );
  }

  assertWritable(allow?: WriteAllowList): void {
    assertAwsWritable(this.clients.endpoint.url, allow);
  }

  close(): void {
    this.clients.destroy();
  }
}
