import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  paginateListObjectsV2,
  type S3Client,
} from '@aws-sdk/client-s3';

export async function createBucket(s3: S3Client, name: string): Promise<void> {
  await s3.send(new CreateBucketCommand({ Bucket: name }));
}

/** Empties and deletes a bench bucket (never anything else). */
export async function deleteBucket(s3: S3Client, name: string): Promise<void> {
  if (!name.startsWith('bench-')) throw new Error(`refusing to delete bucket ${name}: not a bench bucket`);
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: name })) {
    const keys = (page.Contents ?? []).map((c) => ({ Key: c.Key! }));
    for (let i = 0; i < keys.length; i += 1000)
      await s3.send(
        new DeleteObjectsCommand({ Bucket: name, Delete: { Objects: keys.slice(i, i + 1000), Quiet: true } }),
      );
  }
  await s3.send(new DeleteBucketCommand({ Bucket: name }));
}
