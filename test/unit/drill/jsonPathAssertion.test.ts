import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { evaluateJsonPathAssertion, selectJsonPath } from '../../../src/core/drill/jsonPathAssertion';

const deployment = {
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: {
    replicas: 2,
    template: {
      spec: {
        containers: [
          { name: 'web', image: 'registry.local/shop/web:1.4.2' },
          { name: 'sidecar', image: 'registry.local/proxy:2' },
        ],
      },
    },
  },
  status: {
    availableReplicas: 2,
    conditions: [
      { type: 'Available', status: 'True' },
      { type: 'Progressing', status: 'True' },
    ],
  },
};

test('equals compares as JSON: 2 is not "2"', () => {
  assert.equal(
    evaluateJsonPathAssertion(deployment, { object: 'deployment/web', path: '$.spec.replicas', equals: 2 }).passed,
    true,
  );
  const r = evaluateJsonPathAssertion(deployment, { object: 'deployment/web', path: '$.spec.replicas', equals: '2' });
  assert.equal(r.passed, false);
  assert.equal(r.detail, '$.spec.replicas is 2; expected equals "2"');
});

test('filters select by condition type', () => {
  const a = { object: 'deployment/web', path: "$.status.conditions[?(@.type=='Available')].status", equals: 'True' };
  assert.equal(evaluateJsonPathAssertion(deployment, a).passed, true);
  const down = structuredClone(deployment);
  down.status.conditions[0]!.status = 'False';
  assert.equal(evaluateJsonPathAssertion(down, a).passed, false);
});

test('matches and atLeast must hold for every selected value', () => {
  assert.equal(
    evaluateJsonPathAssertion(deployment, {
      object: 'd/w',
      path: '$.spec.template.spec.containers[*].image',
      matches: '^registry\\.local/',
    }).passed,
    true,
  );
  assert.equal(
    evaluateJsonPathAssertion(deployment, {
      object: 'd/w',
      path: '$.spec.template.spec.containers[*].image',
      matches: 'shop',
    }).passed,
    false,
  );
  assert.equal(
    evaluateJsonPathAssertion(deployment, { object: 'd/w', path: '$.status.availableReplicas', atLeast: 2 }).passed,
    true,
  );
  assert.equal(
    evaluateJsonPathAssertion(deployment, { object: 'd/w', path: '$.status.availableReplicas', atLeast: 3 }).passed,
    false,
  );
  assert.equal(
    evaluateJsonPathAssertion(deployment, { object: 'd/w', path: '$.metadata.name', atLeast: 0 }).passed,
    false,
    'text that is not a number never satisfies atLeast',
  );
});

test('exists true/false, and a path that selects nothing fails value expectations', () => {
  assert.equal(
    evaluateJsonPathAssertion(deployment, { object: 'd/w', path: '$.metadata.labels.app', exists: true }).passed,
    true,
  );
  assert.equal(
    evaluateJsonPathAssertion(deployment, { object: 'd/w', path: '$.metadata.labels.tier', exists: true }).passed,
    false,
  );
  assert.equal(
    evaluateJsonPathAssertion(deployment, { object: 'd/w', path: '$.metadata.labels.tier', exists: false }).passed,
    true,
  );
  const r = evaluateJsonPathAssertion(deployment, { object: 'd/w', path: '$.spec.paused', equals: false });
  assert.equal(r.passed, false);
  assert.match(r.detail, /selects nothing/);
});

test('selectJsonPath returns every match and never evaluates code', () => {
  assert.deepEqual(selectJsonPath(deployment, '$..name'), ['web', 'web', 'sidecar']);
  const r = evaluateJsonPathAssertion(deployment, { object: 'd/w', path: '$[?(process.exit(1))]', exists: true });
  assert.equal(r.passed, false);
});
