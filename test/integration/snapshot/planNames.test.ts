import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateQueueCommand, DeleteQueueCommand, ListQueuesCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { CreateBucketCommand, DeleteBucketCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import { createAwsClients, type AwsClients } from '../../../src/core/aws/clients';
import { createSnapshot } from '../../../src/core/snapshot';
import { awsEndpointUrl, repoRoot, uniqueName } from '../../support/env';

/**
 * Plan, validate, then write: `drydock restore good.tar.gz --aws-prefix "a/b"` (and other prefixes/suffixes no
 * queue or bucket can carry) is a usage error (exit 2) naming each bad name, with nothing written — where before
 * the queue failed halfway and the rest was restored (exit 3).
 */
let aws: AwsClients;
let dir: string;
let good: string;
let queue: string;
let bucket: string;

function names(list: Array<{ Name?: string }> | undefined): string[] {
  return (list ?? []).map((b) => b.Name ?? '');
}

before(async () => {
  aws = createAwsClients({ url: awsEndpointUrl(), region: 'us-east-1' });
  dir = await mkdtemp(join(tmpdir(), 'drydock-names-'));
  queue = uniqueName('dd-names');
  bucket = uniqueName('dd-names');
  const { QueueUrl } = await aws.sqs.send(new CreateQueueCommand({ QueueName: queue }));
  await aws.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'one' }));
  await aws.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  good = join(dir, 'good.tar.gz');
  await createSnapshot({
    target: good,
    aws: { clients: aws, queues: [queue], buckets: [bucket] },
    secrets: 'plain',
    toolVersion: 'test',
  });
});

after(async () => {
  const urls = (await aws.sqs.send(new ListQueuesCommand({ QueueNamePrefix: queue }))).QueueUrls ?? [];
  for (const u of urls) await aws.sqs.send(new DeleteQueueCommand({ QueueUrl: u }));
  await aws.s3.send(new DeleteBucketCommand({ Bucket: bucket })).catch(() => undefined);
  aws.destroy();
  await rm(dir, { recursive: true, force: true });
});

const crafted: Array<[string, string[]]> = [
  ['--aws-prefix a/b', ['--aws-prefix', 'a/b']],
  ['--aws-prefix with upper case (bucket)', ['--aws-prefix', 'Copy-']],
  ['--aws-suffix _x (bucket)', ['--aws-suffix', '_x']],
  ['--aws-prefix of 70 characters (queue > 80)', ['--aws-prefix', 'p'.repeat(70)]],
  ['--namespace-map to an invalid namespace', ['--namespace-map', 'shop:Shop_Copy']],
];

for (const [name, args] of crafted) {
  test(`restore ${name}: usage error, exit 2, nothing written`, async () => {
    const beforeQueues = (await aws.sqs.send(new ListQueuesCommand({}))).QueueUrls ?? [];
    const beforeBuckets = names((await aws.s3.send(new ListBucketsCommand({}))).Buckets);
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        join(repoRoot, 'src', 'cli', 'main.ts'),
        'restore',
        good,
        '--no-kube',
        '--aws-endpoint',
        awsEndpointUrl(),
        ...args,
      ],
      {
        encoding: 'utf8',
        cwd: repoRoot,
        timeout: 120_000,
      },
    );
    assert.equal(r.status, 2, r.stdout + r.stderr);
    if (!args[0]!.startsWith('--namespace-map')) assert.match(r.stderr, /nothing was written/);
    assert.deepEqual((await aws.sqs.send(new ListQueuesCommand({}))).QueueUrls ?? [], beforeQueues, 'no queue created');
    assert.deepEqual(
      names((await aws.s3.send(new ListBucketsCommand({}))).Buckets),
      beforeBuckets,
      'no bucket created',
    );
  });
}
