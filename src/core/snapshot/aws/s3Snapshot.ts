import type { AwsClients } from '../../aws/clients';
import { bucketExists, getBucketVersioning } from '../../aws/s3';
import {
  createBucket,
  emptyAndDeleteBucket,
  getBucketTags,
  getObjectForCapture,
  getObjectTags,
  listObjectPages,
  putObjectStream,
  setBucketTags,
  setBucketVersioning,
} from '../../aws/s3Admin';
import { describeError } from '../../errors';
import type { Logger } from '../../log';
import type { SnapshotWriter } from '../archive/snapshotWriter';
import type { SnapshotReader } from '../archive/snapshotReader';
import { awsPaths } from '../layout';
import type { S3BucketSummary } from '../manifest';
import { throwIfAborted, type ProgressCallback } from '../progress';
import { forEachLimited } from '../concurrency';
import { dryRunResult, skippedExisting, type ExistingPolicy } from '../existingPolicy';
import type { ItemResult } from '../restoreResult';

/** The SDK client type, named through core/aws (the only module that imports the SDK). */
type S3Client = AwsClients['s3'];

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

/** Captures a bucket's versioning setting, tags and every object (bytes streamed to disk; latest versions). */
export async function captureS3Bucket(
  writer: SnapshotWriter,
  s3: S3Client,
  name: string,
  ctx: Ctx,
): Promise<S3BucketSummary> {
  const versioning = await getBucketVersioning(s3, name, ctx.signal);
  const tags = await getBucketTags(s3, name, ctx.signal);
  const record: S3BucketRecord = { name, versioning, tags };
  await writer.writeEntry(awsPaths.s3Bucket(name), JSON.stringify(record, null, 2));
  let objects = 0;
  let bytes = 0;
  await writer.writeLines(awsPaths.s3Objects(name), async (sink) => {
    for await (const entries of listObjectPages(s3, name, ctx.signal)) {
      const first = objects;
      const records = new Array<S3ObjectRecord>(entries.length);
      // A few objects at a time, each streamed to its own entry; records are written in listing order.
      await forEachLimited(entries, S3_CONCURRENT_OBJECTS, async (entry, i) => {
        throwIfAborted(ctx.signal);
        const key = entry.Key!;
        const res = await getObjectForCapture(s3, name, key, ctx.signal);
        const index = first + i;
        const digest = await writer.writeStream(awsPaths.s3ObjectData(name, index), res.Body);
        // GetObject says how many tags an object has (x-amz-tagging-count, absent when none): only
        // tagged objects cost a second request.
        const objectTags = res.TagCount ? await getObjectTags(s3, name, key, ctx.signal) : [];
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
    const exists = await bucketExists(s3, targetName, opts.signal);
    if (opts.dryRun) {
      if (!exists) return dryRunResult('s3', id, false, opts.existing, { count: objectCount });
      return dryRunResult('s3', id, true, opts.existing, {
        changes: await diffBucket(reader, s3, record, targetName),
        count: objectCount,
      });
    }
    let outcome: ItemResult['outcome'] = 'created';
    if (exists) {
      if (opts.existing === 'skip') return skippedExisting('s3', id);
      if (opts.existing === 'recreate') {
        await emptyAndDeleteBucket(s3, targetName, opts.signal);
        outcome = 'recreated';
      } else outcome = 'updated';
    }
    if (outcome !== 'updated') await createBucket(s3, targetName, opts.signal);
    if (record.versioning) await setBucketVersioning(s3, targetName, record.versioning, opts.signal);
    if (record.tags.length) await setBucketTags(s3, targetName, record.tags, opts.signal);
    let written = 0;
    for await (const line of reader.lines(awsPaths.s3Objects(record.name))) {
      throwIfAborted(opts.signal);
      const o = JSON.parse(line) as S3ObjectRecord;
      await putObjectStream(
        s3,
        {
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
        },
        opts.signal,
      );
      written++;
      opts.progress({
        phase: 's3',
        message: `${targetName}: ${written} objects written`,
        done: written,
        total: objectCount,
      });
    }
    return { system: 's3', id, outcome, count: written };
  } catch (error) {
    return { system: 's3', id, outcome: 'failed', message: describeError(error) };
  }
}

/** Keys added/removed/changed (by ETag and size) between the snapshot and the live bucket. */
async function diffBucket(
  reader: SnapshotReader,
  s3: S3Client,
  record: S3BucketRecord,
  targetName: string,
): Promise<string[]> {
  const snapshot = new Map<string, string>();
  for await (const line of reader.lines(awsPaths.s3Objects(record.name))) {
    const o = JSON.parse(line) as S3ObjectRecord;
    snapshot.set(o.key, `${o.etag}:${o.size}`);
  }
  const changes: string[] = [];
  let live = 0;
  for await (const objects of listObjectPages(s3, targetName)) {
    for (const c of objects) {
      live++;
      const snap = snapshot.get(c.Key!);
      if (snap === undefined) changes.push(`-${c.Key}`);
      else if (snap !== `${c.ETag}:${c.Size}`) changes.push(`~${c.Key}`);
      snapshot.delete(c.Key!);
    }
  }
  for (const key of snapshot.keys()) changes.push(`+${key}`);
  return [
    `objects: snapshot ${reader.manifest.aws.s3.find((b) => b.name === record.name)?.objects ?? '?'}, live ${live}`,
    ...changes.slice(0, 100),
  ];
}
