/** Account id in a queue URL (`…/123456789012/name`), or undefined. */
export function accountFromQueueUrl(url: string): string | undefined {
  return /\/(\d{12})\/[^/]+$/.exec(url)?.[1];
}

export function queueNameFromUrl(url: string): string {
  return url.slice(url.lastIndexOf('/') + 1);
}

export function sqsArn(region: string, account: string, name: string): string {
  return `arn:aws:sqs:${region}:${account}:${name}`;
}

export function dynamoTableArn(region: string, account: string, name: string): string {
  return `arn:aws:dynamodb:${region}:${account}:table/${name}`;
}

export function s3BucketArn(name: string): string {
  return `arn:aws:s3:::${name}`;
}
