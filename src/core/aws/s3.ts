import {
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  paginateListBuckets,
  paginateListObjectsV2,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createReadStream, createWriteStream } from 'node:fs';
import { stat, rename, rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { DrydockError } from '../errors';
import { isBucketMissing, isObjectMissing } from './awsErrors';

export interface BucketSummary {
  name: string;
  createdAt?: Date;
}

export interface ObjectSummary {
  key: string;
  size: number;
  lastModified?: Date;
  etag?: string;
  storageClass?: string;
}

/** One level of a bucket under a prefix, split at "/": sub-prefixes and the objects right here. */
export interface BucketLevel {
  prefixes: string[];
  objects: ObjectSummary[];
  /** True when `maxEntries` cut the listing short. */
  truncated: boolean;
}

export async function listBuckets(s3: S3Client, signal?: AbortSignal): Promise<BucketSummary[]> {
  const out: BucketSummary[] = [];
  for await (const page of paginateListBuckets({ client: s3 }, {})) {
    signal?.throwIfAborted();
    for (const b of page.Buckets ?? []) if (b.Name) out.push({ name: b.Name, createdAt: b.CreationDate });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Lists one level with delimiter "/", following every continuation token (moto pages at 100 keys)
 * until the end or `maxEntries`.
 */
export async function listLevel(
  s3: S3Client,
  bucket: string,
  prefix: string,
  options: { maxEntries?: number; signal?: AbortSignal } = {},
): Promise<BucketLevel> {
  const max = options.maxEntries ?? Number.POSITIVE_INFINITY;
  const prefixes: string[] = [];
  const objects: ObjectSummary[] = [];
  let truncated = false;
  for await (const page of paginateListObjectsV2(
    { client: s3, pageSize: 1000 },
    { Bucket: bucket, Prefix: prefix || undefined, Delimiter: '/' },
  )) {
    options.signal?.throwIfAborted();
    for (const p of page.CommonPrefixes ?? []) if (p.Prefix) prefixes.push(p.Prefix);
    for (const o of page.Contents ?? []) {
      if (!o.Key || o.Key === prefix) continue; // the "folder" placeholder object itself
      objects.push({
        key: o.Key,
        size: o.Size ?? 0,
        lastModified: o.LastModified,
        etag: o.ETag,
        storageClass: o.StorageClass,
      });
    }
    if (prefixes.length + objects.length >= max) {
      truncated = Boolean(page.IsTruncated) || prefixes.length + objects.length > max;
      break;
    }
  }
  return { prefixes, objects, truncated };
}

/** Every object of a bucket (no delimiter), page by page: for snapshots and counts. */
export async function* iterateObjects(
  s3: S3Client,
  bucket: string,
  options: { prefix?: string; signal?: AbortSignal } = {},
): AsyncGenerator<ObjectSummary[]> {
  for await (const page of paginateListObjectsV2(
    { client: s3, pageSize: 1000 },
    { Bucket: bucket, Prefix: options.prefix || undefined },
  )) {
    options.signal?.throwIfAborted();
    const objects = (page.Contents ?? [])
      .filter((o) => o.Key)
      .map((o) => ({
        key: o.Key!,
        size: o.Size ?? 0,
        lastModified: o.LastModified,
        etag: o.ETag,
        storageClass: o.StorageClass,
      }));
    if (objects.length) yield objects;
  }
}

export interface ObjectStream {
  body: Readable;
  contentType?: string;
  contentLength?: number;
  lastModified?: Date;
  metadata: Record<string, string>;
}

export async function getObjectStream(
  s3: S3Client,
  bucket: string,
  key: string,
  signal?: AbortSignal,
): Promise<ObjectStream> {
  try {
    const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal });
    if (!res.Body) throw new DrydockError('failed', `s3://${bucket}/${key} came back without a body.`);
    return {
      body: res.Body as Readable,
      contentType: res.ContentType,
      contentLength: res.ContentLength,
      lastModified: res.LastModified,
      metadata: res.Metadata ?? {},
    };
  } catch (error) {
    if (isObjectMissing(error))
      throw new DrydockError('not-found', `s3://${bucket}/${key} does not exist (any more).`, { cause: error });
    throw error;
  }
}

/** Reads a whole object into memory, refusing objects larger than `maxBytes`. */
export async function getObjectBytes(
  s3: S3Client,
  bucket: string,
  key: string,
  maxBytes: number,
  signal?: AbortSignal,
): Promise<{ bytes: Buffer; contentType?: string }> {
  const obj = await getObjectStream(s3, bucket, key, signal);
  if (obj.contentLength !== undefined && obj.contentLength > maxBytes) {
    obj.body.destroy();
    throw new DrydockError(
      'unsupported',
      `s3://${bucket}/${key} is ${obj.contentLength} bytes; only objects up to ${maxBytes} bytes open in the editor. Download it instead.`,
    );
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of obj.body) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      obj.body.destroy();
      throw new DrydockError(
        'unsupported',
        `s3://${bucket}/${key} is larger than ${maxBytes} bytes. Download it instead.`,
      );
    }
    chunks.push(chunk as Buffer);
  }
  return { bytes: Buffer.concat(chunks), contentType: obj.contentType };
}

/** Streams an object to a file (written to `.partial`, renamed at the end). */
export async function downloadObject(
  s3: S3Client,
  bucket: string,
  key: string,
  file: string,
  signal?: AbortSignal,
): Promise<number> {
  const obj = await getObjectStream(s3, bucket, key, signal);
  const partial = `${file}.partial`;
  try {
    await pipeline(obj.body, createWriteStream(partial), { signal });
    await rename(partial, file);
    return (await stat(file)).size;
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

/** Uploads a file as one PutObject, streamed from disk. */
export async function uploadFile(
  s3: S3Client,
  bucket: string,
  key: string,
  file: string,
  options: { contentType?: string; signal?: AbortSignal } = {},
): Promise<void> {
  const { size } = await stat(file);
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: createReadStream(file),
      ContentLength: size,
      ContentType: options.contentType,
    }),
    { abortSignal: options.signal },
  );
}

export async function putObject(
  s3: S3Client,
  bucket: string,
  key: string,
  body: string | Uint8Array,
  contentType?: string,
  signal?: AbortSignal,
): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }), {
    abortSignal: signal,
  });
}

export async function deleteObject(s3: S3Client, bucket: string, key: string, signal?: AbortSignal): Promise<void> {
  await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal });
}

/** How to show an object: text (opened in an editor), image (preview), or binary (download only). */
export function objectViewKind(key: string, contentType?: string): 'text' | 'image' | 'binary' {
  const ct = (contentType ?? '').toLowerCase();
  if (
    /^image\/(png|jpe?g|gif|webp|bmp|svg\+xml|x-icon|vnd\.microsoft\.icon)/.test(ct) ||
    /\.(png|jpe?g|gif|webp|bmp|ico)$/i.test(key)
  )
    return 'image';
  if (ct.startsWith('text/') || /(json|xml|yaml|javascript|csv|x-sh)/.test(ct)) return 'text';
  if (
    /\.(txt|json|jsonl|ndjson|md|csv|tsv|ya?ml|xml|html?|css|js|ts|log|ini|conf|toml|sh|py|sql|env|properties)$/i.test(
      key,
    )
  )
    return 'text';
  return 'binary';
}

/** Looks at the bytes: text when it decodes as UTF-8 without NULs. */
export function looksLikeText(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 8192);
  if (sample.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(
      sample.length < bytes.length ? sample.subarray(0, Math.max(0, sample.length - 4)) : sample,
    );
    return true;
  } catch {
    return false;
  }
}

/** Whether a bucket exists (HeadBucket). */
export async function bucketExists(s3: S3Client, bucket: string, signal?: AbortSignal): Promise<boolean> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }), { abortSignal: signal });
    return true;
  } catch (error) {
    if (isBucketMissing(error)) return false;
    throw error;
  }
}

/** A bucket's versioning status; undefined when it was never set. */
export async function getBucketVersioning(
  s3: S3Client,
  bucket: string,
  signal?: AbortSignal,
): Promise<'Enabled' | 'Suspended' | undefined> {
  return (await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }), { abortSignal: signal })).Status;
}

/** Deletes every object version and delete marker, then the bucket; false when the bucket was not there. */
export async function deleteBucketAndContents(s3: S3Client, bucket: string, signal?: AbortSignal): Promise<boolean> {
  try {
    let keyMarker: string | undefined;
    let versionMarker: string | undefined;
    for (;;) {
      const page = await s3.send(
        new ListObjectVersionsCommand({ Bucket: bucket, KeyMarker: keyMarker, VersionIdMarker: versionMarker }),
        { abortSignal: signal },
      );
      const objects = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map((v) => ({
        Key: v.Key!,
        VersionId: v.VersionId && v.VersionId !== 'null' ? v.VersionId : undefined,
      }));
      for (let i = 0; i < objects.length; i += 1000) {
        await s3.send(
          new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects.slice(i, i + 1000), Quiet: true } }),
          { abortSignal: signal },
        );
      }
      if (!page.IsTruncated) break;
      keyMarker = page.NextKeyMarker;
      versionMarker = page.NextVersionIdMarker;
    }
    await s3.send(new DeleteBucketCommand({ Bucket: bucket }), { abortSignal: signal });
    return true;
  } catch (error) {
    if (isBucketMissing(error)) return false;
    throw error;
  }
}
