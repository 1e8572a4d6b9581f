import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parsePeekResponse } from '../../../src/core/aws/sqsPeek';
import {
  parseRedrivePolicy,
  linkDeadLetterRelations,
  validateOutgoingMessage,
  type QueueSummary,
} from '../../../src/core/aws/sqs';

test('LocalStack peek, query protocol rendered as JSON (the documented GET)', () => {
  const messages = parsePeekResponse({
    ReceiveMessageResponse: {
      ReceiveMessageResult: {
        Message: [
          {
            MessageId: 'm1',
            ReceiptHandle: 'SQS/BACKDOOR/ACCESS',
            MD5OfBody: 'x',
            Body: '{"a":1}',
            Attribute: [
              { Name: 'SentTimestamp', Value: '1700000000000' },
              { Name: 'ApproximateReceiveCount', Value: '0' },
              { Name: 'IsVisible', Value: 'false' },
              { Name: 'IsDelayed', Value: 'true' },
            ],
            MessageAttribute: [{ Name: 'kind', Value: { StringValue: 'order', DataType: 'String' } }],
          },
        ],
      },
      ResponseMetadata: { RequestId: 'r' },
    },
  });
  assert.equal(messages.length, 1);
  assert.equal(messages[0]!.body, '{"a":1}');
  assert.equal(messages[0]!.receiptHandle, undefined, 'the dummy handle is not kept');
  assert.equal(messages[0]!.visible, false);
  assert.equal(messages[0]!.delayed, true);
  assert.equal(messages[0]!.attributes.SentTimestamp, '1700000000000');
  assert.equal(messages[0]!.attributes.IsVisible, undefined);
  assert.deepEqual(messages[0]!.messageAttributes, {
    kind: { dataType: 'String', stringValue: 'order', binaryBase64: undefined },
  });
});

test('LocalStack peek, single message as an object, and the JSON protocol shape', () => {
  assert.equal(
    parsePeekResponse({
      ReceiveMessageResponse: { ReceiveMessageResult: { Message: { MessageId: 'only', Body: 'b' } } },
    })[0]!.messageId,
    'only',
  );
  assert.deepEqual(parsePeekResponse({ ReceiveMessageResponse: { ReceiveMessageResult: null } }), []);
  const json = parsePeekResponse({
    Messages: [
      {
        MessageId: 'j',
        Body: 't',
        Attributes: { MessageGroupId: 'g' },
        MessageAttributes: { n: { DataType: 'Number', StringValue: '5' } },
      },
    ],
  });
  assert.equal(json[0]!.attributes.MessageGroupId, 'g');
  assert.equal(json[0]!.messageAttributes.n!.stringValue, '5');
  assert.throws(() => parsePeekResponse('nope'));
});

test('redrive policy and dead-letter relations both ways', () => {
  assert.deepEqual(parseRedrivePolicy('{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:1:dlq","maxReceiveCount":"3"}'), {
    deadLetterTargetArn: 'arn:aws:sqs:us-east-1:1:dlq',
    maxReceiveCount: 3,
  });
  assert.equal(parseRedrivePolicy('garbage'), undefined);
  const q = (name: string, redrive?: string): QueueSummary => ({
    url: `http://h/1/${name}`,
    name,
    arn: `arn:aws:sqs:us-east-1:1:${name}`,
    fifo: false,
    visible: 0,
    inFlight: 0,
    delayed: 0,
    redrive: parseRedrivePolicy(redrive),
    deadLetterSourceUrls: [],
    attributes: {},
  });
  const [a, b, dlq] = linkDeadLetterRelations([
    q('a', '{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:1:dlq","maxReceiveCount":3}'),
    q('b', '{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:1:dlq","maxReceiveCount":5}'),
    q('dlq'),
  ]);
  assert.equal(a!.deadLetterTargetUrl, 'http://h/1/dlq');
  assert.equal(b!.deadLetterTargetUrl, 'http://h/1/dlq');
  assert.deepEqual(dlq!.deadLetterSourceUrls, ['http://h/1/a', 'http://h/1/b']);
});

test('outgoing message validation', () => {
  assert.deepEqual(validateOutgoingMessage({ body: 'x' }, false), []);
  const fields = (m: Parameters<typeof validateOutgoingMessage>[0], fifo: boolean) =>
    validateOutgoingMessage(m, fifo).map((p) => p.field);
  assert.deepEqual(fields({ body: '' }, false), ['body']);
  assert.deepEqual(fields({ body: 'x', delaySeconds: 901 }, false), ['delaySeconds']);
  assert.deepEqual(fields({ body: 'x' }, true), ['groupId']);
  assert.deepEqual(fields({ body: 'x', groupId: 'g' }, false), ['groupId']);
  assert.deepEqual(
    fields(
      {
        body: 'x',
        messageAttributes: {
          'AWS.x': { dataType: 'String', stringValue: 'v' },
          n: { dataType: 'Number', stringValue: 'abc' },
          t: { dataType: 'Json', stringValue: '{}' },
        },
      },
      false,
    ),
    ['messageAttributes.AWS.x', 'messageAttributes.n', 'messageAttributes.t'],
  );
});
