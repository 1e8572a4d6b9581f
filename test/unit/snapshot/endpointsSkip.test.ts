import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { skipReason } from '../../../src/core/snapshot/skipRules';
import type { KubeObject } from '../../../src/core/snapshot/kubeObject';

const endpoints = (name: string, annotations?: Record<string, string>) =>
  ({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name, annotations } }) as KubeObject;

// Found by the corpus round trip: the endpoints controller had not yet set its annotation on the (empty) Endpoints
// of the guestbook "frontend" Service when the snapshot was taken; the restored copy was then overwritten by it.
test('the Endpoints of a Service with a selector are skipped even before the controller annotates them', () => {
  const ctx = { servicesWithSelector: new Set(['frontend']) };
  assert.match(skipReason('endpoints', endpoints('frontend'), ctx)!, /endpoints controller.*selector/);
  assert.match(
    skipReason(
      'endpoints',
      endpoints('other', { 'endpoints.kubernetes.io/last-change-trigger-time': '2026-01-01T00:00:00Z' }),
      ctx,
    )!,
    /endpoints controller/,
  );
});

test('hand-made Endpoints (of a Service without a selector, or with no Service) are kept', () => {
  const ctx = { servicesWithSelector: new Set(['frontend']) };
  assert.equal(skipReason('endpoints', endpoints('external-db'), ctx), undefined);
  assert.equal(skipReason('endpoints', endpoints('frontend')), undefined, 'without context nothing is assumed');
});
