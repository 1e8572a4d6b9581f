import assert from 'node:assert/strict';
import { test } from 'node:test';
import { afterPendingReplies } from '../../../src/vscode/afterPendingReplies';

// The extension host flushes its outgoing messages on a 0 ms timer: one set before the call, or just after it in
// the same turn (as when another view's reply is ready), must have run when afterPendingReplies resolves.
test('a 0 ms timer set before the call has run when it resolves', async () => {
  let flushed = false;
  setTimeout(() => (flushed = true), 0);
  await afterPendingReplies();
  assert.equal(flushed, true);
});

test('a 0 ms timer set after the call, in the same turn, has run when it resolves', async () => {
  let flushed = false;
  const waiting = afterPendingReplies();
  await Promise.resolve();
  queueMicrotask(() => setTimeout(() => (flushed = true), 0));
  await waiting;
  assert.equal(flushed, true);
});

test('a 0 ms timer set after the call on a later millisecond of the same turn has run when it resolves', async () => {
  let flushed = false;
  const waiting = afterPendingReplies();
  const start = performance.now();
  while (performance.now() - start < 3) {
    // hold the thread across a millisecond boundary, as a synchronous CA-certificate read does
  }
  setTimeout(() => (flushed = true), 0);
  await waiting;
  assert.equal(flushed, true);
});
