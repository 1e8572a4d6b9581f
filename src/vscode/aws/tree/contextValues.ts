/** Context values of Local AWS tree items; `package.json` menus match on these. */
export const AwsContext = {
  endpoint: 'drydock.aws.endpoint',
  service: (s: 'sqs' | 'dynamodb' | 's3') => `drydock.aws.service.${s}`,
  queue: 'drydock.aws.queue',
  deadLetterQueue: 'drydock.aws.queue.dlq',
  table: 'drydock.aws.table',
  bucket: 'drydock.aws.bucket',
  prefix: 'drydock.aws.prefix',
  object: 'drydock.aws.object',
  info: 'drydock.aws.info',
  error: 'drydock.aws.error',
} as const;
