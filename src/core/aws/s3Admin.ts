import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  GetBucketTaggingCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  paginateListObjectsV2,
  type GetObjectCommandOutput,
  type PutObjectCommandInput,
  type S3Client,
  type _Object,
} from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { DrydockError } from '../errors';
import { isNoTagSet } from './awsErrors';

/**
 * Bucket-level S3 operations for snapshots and restores (the browser's are in s3.ts). Thin: one SDK call
 * each, errors passed through for the caller's typed guards (awsErrors.ts).
 */

export type Tag = { Key: string; Value: string };
export type { PutObjectCommandInput as PutObjectInput } from '@aws-sdk/client-s3';

const tagsOf = (set: Array<{ Key?: string; Value?: string }> | undefined): Tag[] =>
  (set ?? []).map((t) => ({ Key: t.Key!, Value: t.Value ?? '' }));

/** A bucket's tags; none when it has no tag set. */
export async function getBucketTags(s3: S3Client, bucket: string, signal?: AbortSignal): Promise<Tag[]> {
  try {
    return tagsOf((await s3.send(new GetBucketTaggingCommand({ Bucket: bucket }), { abortSignal: signal })).TagSet);
  } catch (error) {
    if (isNoTagSet(error)) return [];
    throw error;
  }
}

/** One object with its headers, its body as a stream. */
export async function getObjectForCapture(
  s3: S3Client,
  bucket: string,
  key: string,
  signal?: AbortSignal,
): Promise<GetObjectCommandOutput & { Body: Readable }> {
  return (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }), {
    abortSignal: signal,
  })) as GetObjectCommandOutput & { Body: Readable };
}

export async function getObjectTags(s3: S3Client, bucket: string, key: string, signal?: AbortSignal): Promise<Tag[]> {
  return tagsOf(
    (await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }), { abortSignal: signal })).TagSet,
  );
}

/** Every object of a bucket (latest versions), page by page. */
export async function* listObjectPages(s3: S3Client, bucket: string, signal?: AbortSignal): AsyncGenerator<_Object[]> {
  for await (const page of paginateListObjectsV2({ client: s3, pageSize: 1000 }, { Bucket: bucket })) {
    signal?.throwIfAborted();
    yield page.Contents ?? [];
  }
}

export async function createBucket(s3: S3Client, bucket: string, signal?: AbortSignal): Promise<void> {
  await s3.send(new CreateBucketCommand({ Bucket: bucket }), { abortSignal: signal });
}

/** Deletes every object (latest versions) and the bucket. */
export async function emptyAndDeleteBucket(s3: S3Client, bucket: string, signal?: AbortSignal): Promise<void> {
  for await (const objects of listObjectPages(s3, bucket, signal)) {
    const keys = objects.map((c) => ({ Key: c.Key! }));
    if (!keys.length) continue;
    const res = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys } }), {
      abortSignal: signal,
    });
    if (res.Errors?.length)
      throw new DrydockError('failed', `Could not empty bucket ${bucket}: ${res.Errors[0]!.Message}`);
  }
  await s3.send(new DeleteBucketCommand({ Bucket: bucket }), { abortSignal: signal });
}

export async function setBucketVersioning(
  s3: S3Client,
  bucket: string,
  status: 'Enabled' | 'Suspended',
  signal?: AbortSignal,
): Promise<void> {
  await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: status } }), {
    abortSignal: signal,
  });
}

export async function setBucketTags(s3: S3Client, bucket: string, tags: Tag[], signal?: AbortSignal): Promise<void> {
  await s3.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: tags } }), { abortSignal: signal });
}

export async function putObjectStream(s3: S3Client, input: PutObjectCommandInput, signal?: AbortSignal): Promise<void> {
  await s3.send(new PutObjectCommand(input), { abortSignal: signal });
}
