import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadBucketCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  paginateListObjectsV2,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { DrydockError, describeError } from '../../errors';
import type { Logger } from '../../log';
import type { SnapshotWriter } from '../archive/snapshotWriter';
import type { SnapshotReader } from '../archive/snapshotReader';
import { awsPaths } from '../layout';
import type { S3BucketSummary } from '../manifest';
import { throwIfAborted, type ProgressCallback } from '../progress';
import { forEachLimited } from '../concurrency';
import type { ExistingPolicy, ItemResult } from '../restoreResult';

export interface S3BucketRecord {
  name: string;
  versioning?: 'Enabled' | 'Suspended';
  tags: Array<{ Key: string; Value: string }>;
}

/** One object: its key, where its bytes are, and every header PutObject can set again. */
export interface S3ObjectRecord {
  key: string;
  index: number;
  size: number;
  etag?: string;
  contentType?: string;
  contentEncoding?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  cacheControl?: string;
  metadata: Record<string, string>;
  tags: Array<{ Key: string; Value: string }>;
}

interface Ctx {
  signal?: AbortSignal;
  progress: ProgressCallback;
  logger: Logger;
}

/** Objects fetched at once while capturing a bucket (bounded: each is streamed, never buffered). */
const S3_CONCURRENT_OBJECTS = 8;

const isMissing = (error: unknown, ...names: string[]) => names.includes((error as { name?: string }).name ?? '') || names.some((n) => describeError(error).includes(n));

/** Captures a bucket's versioning setting, tags and every object (bytes streamed to disk; latest versions). */
export async function captureS3Bucket(writer: SnapshotWriter, s3: S3Client, name: string, ctx: Ctx): Promise<S3BucketSummary> {
  const versioning = (await s3.send(new GetBucketVersioningCommand({ Bucket: name }), { abortSignal: ctx.signal })).Status as S3BucketRecord['versioning'];
  let tags: S3BucketRecord['tags'] = [];
  try {
    tags = ((await s3.send(new GetBucketTaggingCommand({ Bucket: name }))).TagSet ?? []).map((t) => ({ Key: t.Key!, Value: t.Value ?? '' }));
  } catch (error) {
    if (!isMissing(error, 'NoSuchTagSet', 'NoSuchTagSetError')) throw error;
  }
  const record: S3BucketRecord = { name, versioning, tags };
  await writer.writeEntry(awsPaths.s3Bucket(name), JSON.stringify(record, null, 2));
  let objects = 0;
  let bytes = 0;
  await writer.writeLines(awsPaths.s3Objects(name), async (sink) => {
    for await (const page of paginateListObjectsV2({ client: s3, pageSize: 1000 }, { Bucket: name })) {
      const entries = page.Contents ?? [];
      const first = objects;
      const records: S3ObjectRecord[] = new Array(entries.length);
      // A few objects at a time, each streamed to its own entry; records are written in listing order.
      await forEachLimited(entries, S3_CONCURRENT_OBJECTS, async (entry, i) => {
        throwIfAborted(ctx.signal);
        const key = entry.Key!;
        const res = await s3.send(new GetObjectCommand({ Bucket: name, Key: key }), { abortSignal: ctx.signal });
        const index = first + i;
        const digest = await writer.writeStream(awsPaths.s3ObjectData(name, index), res.Body as Readable);
        // GetObject says how many tags an object has (x-amz-tagging-count, absent when none): only
        // tagged objects cost a second request.
        const objectTags = res.TagCount ? ((await s3.send(new GetObjectTaggingCommand({ Bucket: name, Key: key }), { abortSignal: ctx.signal })).TagSet ?? []).map((t) => ({ Key: t.Key!, Value: t.Value ?? '' })) : [];
        records[i] = {
          key,
          index,
          size: digest.size,
          etag: res.ETag,
          contentType: res.ContentType,
          contentEncoding: res.ContentEncoding,
          contentDisposition: res.ContentDisposition,
          contentLanguage: res.ContentLanguage,
          cacheControl: res.CacheControl,
          metadata: res.Metadata ?? {},
          tags: objectTags,
        };
        bytes += digest.size;
        ctx.progress({ phase: 's3', message: `${name}: ${++objects} objects`, done: objects });
      });
      for (const rec of records) await sink.write(JSON.stringify(rec));
    }
  });
  return { name, objects, bytes };
}

async function bucketExists(s3: S3Client, name: string): Promise<boolean> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: name }));
    return true;
  } catch (error) {
    if (isMissing(error, 'NotFound', 'NoSuchBucket')) return false;
    throw error;
  }
}

/** Restores one bucket under `targetName`: versioning, tags, then every object with its headers, metadata and tags. */
export async function restoreS3Bucket(
  reader: SnapshotReader,
  s3: S3Client,
  record: S3BucketRecord,
  targetName: string,
  opts: Ctx & { existing: ExistingPolicy; dryRun: boolean },
): Promise<ItemResult> {
  const id = `s3:${targetName}`;
  const objectCount = reader.manifest.aws.s3.find((b) => b.name === record.name)?.objects ?? 0;
  try {
    const exists = await bucketExists(s3, targetName);
    if (opts.dryRun) {
      if (!exists) return { system: 's3', id, outcome: 'created', message: 'would be created', count: objectCount };
      const changes = await diffBucket(reader, s3, record, targetName);
      const verb = opts.existing === 'skip' ? 'skipped' : opts.existing === 'update' ? 'updated' : 'recreated';
      return { system: 's3', id, outcome: verb, message: `exists; would be ${verb}`, changes, count: objectCount };
    }
    let outcome: ItemResult['outcome'] = 'created';
    if (exists) {
      if (opts.existing === 'skip') return { system: 's3', id, outcome: 'skipped', message: 'already exists (existing policy: skip)' };
      if (opts.existing === 'recreate') {
        await emptyBucket(s3, targetName);
        await s3.send(new DeleteBucketCommand({ Bucket: targetName }));
        outcome = 'recreated';
      } else outcome = 'updated';
    }
    if (outcome !== 'updated') await s3.send(new CreateBucketCommand({ Bucket: targetName }));
    if (record.versioning) await s3.send(new PutBucketVersioningCommand({ Bucket: targetName, VersioningConfiguration: { Status: record.versioning } }));
    if (record.tags.length) await s3.send(new PutBucketTaggingCommand({ Bucket: targetName, Tagging: { TagSet: record.tags } }));
    let written = 0;
    for await (const line of reader.lines(awsPaths.s3Objects(record.name))) {
      throwIfAborted(opts.signal);
      const o = JSON.parse(line) as S3ObjectRecord;
      await s3.send(
        new PutObjectCommand({
          Bucket: targetName,
          Key: o.key,
          Body: reader.stream(awsPaths.s3ObjectData(record.name, o.index)),
          ContentLength: o.size,
          ContentType: o.contentType,
          ContentEncoding: o.contentEncoding,
          ContentDisposition: o.contentDisposition,
          ContentLanguage: o.contentLanguage,
          CacheControl: o.cacheControl,
          Metadata: o.metadata,
          Tagging: o.tags.length ? new URLSearchParams(o.tags.map((t) => [t.Key, t.Value])).toString() : undefined,
        }),
        { abortSignal: opts.signal },
      );
      written++;
      opts.progress({ phase: 's3', message: `${targetName}: ${written} objects written`, done: written, total: objectCount });
    }
    return { system: 's3', id, outcome, count: written };
  } catch (error) {
    return { system: 's3', id, outcome: 'failed', message: describeError(error) };
  }
}

async function emptyBucket(s3: S3Client, name: string): Promise<void> {
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: name })) {
    const keys = (page.Contents ?? []).map((c) => ({ Key: c.Key! }));
    if (!keys.length) continue;
    const res = await s3.send(new DeleteObjectsCommand({ Bucket: name, Delete: { Objects: keys } }));
    if (res.Errors?.length) throw new DrydockError('failed', `Could not empty bucket ${name}: ${res.Errors[0]!.Message}`);
  }
}

/** Keys added/removed/changed (by ETag and size) between the snapshot and the live bucket. */
async function diffBucket(reader: SnapshotReader, s3: S3Client, record: S3BucketRecord, targetName: string): Promise<string[]> {
  const snapshot = new Map<string, string>();
  for await (const line of reader.lines(awsPaths.s3Objects(record.name))) {
    const o = JSON.parse(line) as S3ObjectRecord;
    snapshot.set(o.key, `${o.etag}:${o.size}`);
  }
  const changes: string[] = [];
  let live = 0;
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: targetName })) {
    for (const c of page.Contents ?? []) {
      live++;
      const snap = snapshot.get(c.Key!);
      if (snap === undefined) changes.push(`-${c.Key}`);
      else if (snap !== `${c.ETag}:${c.Size}`) changes.push(`~${c.Key}`);
      snapshot.delete(c.Key!);
    }
  }
  for (const key of snapshot.keys()) changes.push(`+${key}`);
  return [`objects: snapshot ${reader.manifest.aws.s3.find((b) => b.name === record.name)?.objects ?? '?'}, live ${live}`, ...changes.slice(0, 100)];
}
