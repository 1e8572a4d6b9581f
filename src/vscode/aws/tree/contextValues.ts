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
  /** A message listed under its queue (LocalStack's peek). */
  sqsMessage: 'drydock.aws.sqsMessage',
  info: 'drydock.aws.info',
  error: 'drydock.aws.error',
  /** An endpoint that did not answer: inline Retry and Show Log. */
  unreachable: 'drydock.aws.unreachable',
} as const;
