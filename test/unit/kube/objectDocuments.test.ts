import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parse } from 'yaml';
import { DrydockError } from '../../../src/core/errors';
import {
  formatObjectPath,
  objectApiPath,
  parseObjectPath,
  type ObjectAddress,
} from '../../../src/core/kube/objectAddress';
import { formatEventsTable } from '../../../src/core/kube/objectEvents';
import { maskSecret, objectToYaml } from '../../../src/core/kube/objectYaml';

test('object addresses round-trip, even with awkward context names', () => {
  const addresses: [ObjectAddress, ObjectAddress, ObjectAddress] = [
    {
      view: 'yaml',
      context: 'drydock-local',
      namespace: 'shop',
      group: 'apps',
      version: 'v1',
      resource: 'deployments',
      name: 'web',
    },
    {
      view: 'events',
      context: 'arn:aws:eks:eu-west-1:1:cluster/x y',
      namespace: 'a',
      group: '',
      version: 'v1',
      resource: 'pods',
      name: 'p.events',
    },
    {
      view: 'yaml',
      context: 'c',
      group: 'rbac.authorization.k8s.io',
      version: 'v1',
      resource: 'clusterroles',
      name: 'system:node',
    },
  ];
  for (const a of addresses) assert.deepEqual(parseObjectPath(formatObjectPath(a)), a);
  assert.equal(formatObjectPath(addresses[0]), '/yaml/drydock-local/shop/apps/v1/deployments/web.yaml');
  assert.throws(
    () => parseObjectPath('/yaml/c/ns/apps'),
    (e: unknown) => DrydockError.is(e, 'invalid-input'),
  );
  assert.equal(objectApiPath(addresses[0]), '/apis/apps/v1/namespaces/shop/deployments/web');
  assert.equal(objectApiPath(addresses[2]), '/apis/rbac.authorization.k8s.io/v1/clusterroles/system%3Anode');
  assert.equal(
    objectApiPath({ group: '', version: 'v1', namespace: 'shop', resource: 'secrets', name: 's' }),
    '/api/v1/namespaces/shop/secrets/s',
  );
});

const secret = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: {
    name: 'creds',
    namespace: 'shop',
    annotations: {
      'kubectl.kubernetes.io/last-applied-configuration': '{"stringData":{"KEY":"sk_live_123"}}',
      keep: 'me',
    },
    managedFields: [{ manager: 'kubectl' }],
  },
  type: 'Opaque',
  data: { KEY: Buffer.from('sk_live_123').toString('base64'), EMPTY: '' },
};

test('a Secret renders with every value masked, the last-applied annotation too, and the input untouched', () => {
  const text = objectToYaml(secret);
  assert.doesNotMatch(text, /sk_live_123/);
  assert.doesNotMatch(text, new RegExp(Buffer.from('sk_live_123').toString('base64')));
  assert.match(text, /Reveal Secret Data/);
  const shown = parse(text);
  assert.deepEqual(shown.data, { KEY: '<hidden: 11 bytes>', EMPTY: '<hidden: 0 bytes>' });
  assert.equal(shown.metadata.annotations.keep, 'me');
  assert.equal(shown.metadata.managedFields, undefined, 'managedFields hidden as kubectl does');
  assert.equal(secret.data.KEY, Buffer.from('sk_live_123').toString('base64'), 'input not modified');
  assert.equal(
    maskSecret({ kind: 'Secret', stringData: { a: 'xyz' } }).secret.stringData &&
      (maskSecret({ kind: 'Secret', stringData: { a: 'xyz' } }).secret.stringData as Record<string, string>).a,
    '<hidden: 3 bytes>',
  );
});

test('revealing shows the stored values; other kinds are shown whole', () => {
  const revealed = parse(objectToYaml(secret, { revealSecrets: true }));
  assert.equal(revealed.data.KEY, secret.data.KEY);
  const cm = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'x', managedFields: [{}] },
    data: { a: 'b' },
    unknownField: { deep: [1, 2] },
  };
  const shown = parse(objectToYaml(cm, { showManagedFields: true }));
  assert.deepEqual(shown, cm);
});

test('events render as a table, oldest first, with repeat counts', () => {
  const now = Date.parse('2024-05-10T12:00:00Z');
  const text = formatEventsTable(
    'Events of Pod shop/web',
    [
      { type: 'Normal', reason: 'Scheduled', message: 'Successfully assigned', lastTimestamp: '2024-05-10T11:50:00Z' },
      {
        type: 'Warning',
        reason: 'BackOff',
        message: 'Back-off restarting',
        count: 4,
        lastTimestamp: '2024-05-10T11:59:00Z',
      },
    ],
    now,
  );
  const lines = text.trimEnd().split('\n');
  assert.equal(lines[0], 'Events of Pod shop/web');
  assert.match(lines[2] ?? '', /^LAST SEEN\s+TYPE\s+REASON\s+MESSAGE$/);
  assert.match(lines[3] ?? '', /^10m\s+Normal\s+Scheduled\s+Successfully assigned$/);
  assert.match(lines[4] ?? '', /^60s\s+Warning\s+BackOff\s+Back-off restarting \(x4\)$/);
  assert.match(formatEventsTable('t', [], now), /No events/);
});
