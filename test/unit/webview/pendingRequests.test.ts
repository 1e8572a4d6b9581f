import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { PendingRequests } from '../../../src/webview/shared/dom';

test('pending requests: each reply goes to the origin of its own request id, once', () => {
  const pending = new PendingRequests<{ row: string }>();
  pending.start(7, { row: 'a' });
  pending.start(8, { row: 'b' });
  assert.deepEqual(pending.originOf(8), { row: 'b' });
  assert.ok(pending.some((o) => o.row === 'a'));
  assert.deepEqual(pending.finish(8), { row: 'b' });
  assert.equal(pending.finish(8), undefined, 'a second done for the same id has no origin');
  assert.equal(pending.finish(undefined), undefined, 'an unnumbered message has no origin');
  assert.equal(pending.finish(99), undefined);
  assert.deepEqual(pending.finish(7), { row: 'a' });
  assert.ok(!pending.some(() => true));
});
