/**
 * Typed guards for AWS service errors. An SDK v3 service exception carries its error code as `name` and
 * the HTTP answer in `$metadata.httpStatusCode`; these read only those, never the message text (which
 * differs between AWS, LocalStack and moto).
 */
interface ServiceErrorShape {
  name?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

/** The service's error code (`ResourceNotFoundException`, `NoSuchBucket`, …), or undefined for anything else. */
export function awsErrorName(error: unknown): string | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const name = (error as ServiceErrorShape).name;
  return typeof name === 'string' ? name : undefined;
}

/** The HTTP status of the service's answer, when there was one. */
export function awsHttpStatus(error: unknown): number | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const status = (error as ServiceErrorShape).$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

/** True when the error's code is one of `names`. */
export function isAwsError(error: unknown, ...names: string[]): boolean {
  const name = awsErrorName(error);
  return name !== undefined && names.includes(name);
}

/** SQS: the queue does not exist (JSON protocol `QueueDoesNotExist`; query-compatible `AWS.SimpleQueueService.NonExistentQueue`). */
export function isQueueMissing(error: unknown): boolean {
  return isAwsError(error, 'QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue', 'NonExistentQueue');
}

/** DynamoDB: the table (or another named resource) does not exist. */
export function isTableMissing(error: unknown): boolean {
  return isAwsError(error, 'ResourceNotFoundException');
}

/** S3: the bucket does not exist (`HeadBucket` answers a bare 404 named `NotFound`). */
export function isBucketMissing(error: unknown): boolean {
  return isAwsError(error, 'NoSuchBucket') || (isAwsError(error, 'NotFound') && awsHttpStatus(error) === 404);
}

/** S3: the object does not exist. */
export function isObjectMissing(error: unknown): boolean {
  return isAwsError(error, 'NoSuchKey') || (isAwsError(error, 'NotFound') && awsHttpStatus(error) === 404);
}

/** S3: the bucket has no tags (GetBucketTagging answers an error rather than an empty set). */
export function isNoTagSet(error: unknown): boolean {
  return isAwsError(error, 'NoSuchTagSet', 'NoSuchTagSetError');
}

/** Any of the "it is not there" errors above: for clean-ups that treat a missing resource as removed. */
export function isAwsResourceMissing(error: unknown): boolean {
  return isQueueMissing(error) || isTableMissing(error) || isBucketMissing(error) || isObjectMissing(error);
}
