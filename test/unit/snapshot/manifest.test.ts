import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { MANIFEST_SCHEMA_VERSION, newManifest, parseManifest } from '../../../src/core/snapshot/manifest';
import { SnapshotInvalidError } from '../../../src/core/snapshot/snapshotErrors';

const valid = () => {
  const m = newManifest('1.2.3', new Date('2026-01-02T03:04:05Z'));
  m.entries = { 'metadata/version': { sha256: 'a'.repeat(64), size: 6 } };
  return m;
};

function problem(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(SnapshotInvalidError.isInvalid(error), `expected SnapshotInvalidError, got ${String(error)}`);
    assert.equal(error.code, 'corrupt-snapshot');
    return error.problem;
  }
  assert.fail('no error');
}

test('a valid manifest parses', () => {
  const m = parseManifest(JSON.stringify(valid()));
  assert.equal(m.schemaVersion, MANIFEST_SCHEMA_VERSION);
  assert.equal(m.tool.version, '1.2.3');
});

test('unknown schema version, bad JSON, missing sections, bad digests and escaping paths are refused', () => {
  assert.equal(
    problem(() => parseManifest(JSON.stringify({ ...valid(), schemaVersion: MANIFEST_SCHEMA_VERSION + 1 }))),
    'schema',
  );
  assert.equal(
    problem(() => parseManifest('{"kind": "drydock-snapshot"')),
    'manifest',
  );
  assert.equal(
    problem(() => parseManifest(JSON.stringify({ ...valid(), kind: 'other' }))),
    'manifest',
  );
  assert.equal(
    problem(() => parseManifest(JSON.stringify({ ...valid(), entries: undefined }))),
    'manifest',
  );
  assert.equal(
    problem(() => parseManifest(JSON.stringify({ ...valid(), entries: { 'a.json': { sha256: 'xyz', size: 1 } } }))),
    'manifest',
  );
  assert.equal(
    problem(() =>
      parseManifest(
        JSON.stringify({ ...valid(), entries: { '../../etc/passwd': { sha256: 'a'.repeat(64), size: 1 } } }),
      ),
    ),
    'path',
  );
  assert.equal(
    problem(() =>
      parseManifest(JSON.stringify({ ...valid(), encryption: { secrets: 'age', keyEntry: 'drydock/key.age' } })),
    ),
    'manifest',
  );
});
