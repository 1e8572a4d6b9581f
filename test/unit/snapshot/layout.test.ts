import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  awsPaths,
  groupResource,
  isSafeEntryPath,
  itemPath,
  parseItemPath,
  preferredVersionPath,
} from '../../../src/core/snapshot/layout';

test('Velero paths: namespaced, cluster-scoped, core group, preferred version, encrypted', () => {
  assert.equal(
    itemPath({ resource: 'pods', group: '', namespace: 'shop', name: 'web-1' }),
    'resources/pods/namespaces/shop/web-1.json',
  );
  assert.equal(
    itemPath({ resource: 'deployments', group: 'apps', namespace: 'shop', name: 'web' }),
    'resources/deployments.apps/namespaces/shop/web.json',
  );
  assert.equal(
    itemPath({
      resource: 'customresourcedefinitions',
      group: 'apiextensions.k8s.io',
      name: 'certificates.cert-manager.io',
    }),
    'resources/customresourcedefinitions.apiextensions.k8s.io/cluster/certificates.cert-manager.io.json',
  );
  assert.equal(
    preferredVersionPath({ resource: 'deployments', group: 'apps', namespace: 'shop', name: 'web' }, 'v1'),
    'resources/deployments.apps/v1-preferredversion/namespaces/shop/web.json',
  );
  assert.equal(
    itemPath({ resource: 'secrets', group: '', namespace: 'shop', name: 'db' }, true),
    'resources/secrets/namespaces/shop/db.json.age',
  );
  assert.equal(groupResource('jobs', 'batch'), 'jobs.batch');
});

test('parseItemPath reads primary items back and ignores preferred-version copies', () => {
  assert.deepEqual(parseItemPath('resources/deployments.apps/namespaces/shop/web.json'), {
    groupResource: 'deployments.apps',
    namespace: 'shop',
    name: 'web',
    encrypted: false,
  });
  assert.deepEqual(parseItemPath('resources/namespaces/cluster/shop.json'), {
    groupResource: 'namespaces',
    namespace: undefined,
    name: 'shop',
    encrypted: false,
  });
  assert.equal(parseItemPath('resources/secrets/namespaces/shop/db.json.age')?.encrypted, true);
  assert.equal(parseItemPath('resources/deployments.apps/v1-preferredversion/namespaces/shop/web.json'), undefined);
  assert.equal(parseItemPath('aws/sqs/q/queue.json'), undefined);
});

test('names that would climb out of the archive are refused', () => {
  assert.throws(() => itemPath({ resource: 'pods', group: '', namespace: '..', name: 'x' }));
  assert.throws(() => itemPath({ resource: 'pods', group: '', namespace: 'a', name: 'x/../../etc' }));
  assert.throws(() => awsPaths.sqsQueue('../q'));
  assert.equal(awsPaths.s3ObjectData('b', 3), 'aws/s3/b/data/3');
});

test('isSafeEntryPath', () => {
  for (const ok of ['metadata/version', 'resources/pods/namespaces/a/b.json', 'aws/s3/b/data/0'])
    assert.equal(isSafeEntryPath(ok), true, ok);
  for (const bad of ['', '/etc/passwd', '../x', 'a/../../x', 'a//b', './a', 'a/./b', 'C:/x', 'a\\b', 'a\0b', 'a/'])
    assert.equal(isSafeEntryPath(bad), false, JSON.stringify(bad));
});
