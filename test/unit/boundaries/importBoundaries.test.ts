import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { boundaries } from '../../../eslint.config.mjs';
import drydock from '../../../tools/eslint/importBoundaries.mjs';

// The import boundaries of src/ are an ESLint rule (eslint.config.mjs, run by `npm run lint` over the tree).
// Here each boundary is shown to fail: small sources placed (virtually) in each folder, linted with the project's
// boundary list, must be reported when they cross a boundary and left alone when they do not.

const root = path.resolve(__dirname, '..', '..', '..');
const eslint = new ESLint({
  cwd: root,
  overrideConfigFile: true,
  overrideConfig: [
    {
      files: ['**/*.ts'],
      languageOptions: { parser: tseslint.parser },
      plugins: { drydock },
      rules: { 'drydock/import-boundaries': ['error', { root, boundaries }] },
    },
  ],
});

async function boundaryErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  assert.ok(result, `ESLint returned no result for ${file}`);
  const fatal = result.messages.filter((m) => m.fatal);
  assert.deepEqual(fatal, [], `${file} did not parse`);
  return result.messages.filter((m) => m.ruleId === 'drydock/import-boundaries').map((m) => m.message);
}

const crossings: [file: string, code: string, expected: RegExp][] = [
  [
    'src/core/kube/x.ts',
    `import * as vscode from 'vscode';\nexport const v = vscode;`,
    /'vscode' may not be imported here/,
  ],
  ['src/core/x.ts', `import type { Uri } from 'vscode';\nexport type U = Uri;`, /'vscode' may not be imported here/],
  ['src/core/x.ts', `export async function f() { return import('vscode'); }`, /'vscode'/],
  ['src/core/x.ts', `const v = require('vscode');\nexport { v };`, /'vscode'/],
  ['src/core/aws/x.ts', `import { log } from '../../vscode/log';\nlog();`, /reaches into src\/vscode/],
  ['src/core/x.ts', `export { h } from '../webview/shared/dom';`, /reaches into src\/webview/],
  ['src/cli/x.ts', `import * as vscode from 'vscode';\nexport const v = vscode;`, /'vscode' may not be imported here/],
  ['src/cli/x.ts', `import type { Panel } from '../vscode/panel';\nexport type P = Panel;`, /reaches into src\/vscode/],
  [
    'src/webview/drillReport/x.ts',
    `import { PHASE_LABELS } from '../../core/drill/drillReport';\nexport const l = PHASE_LABELS;`,
    /outside src\/webview, src\/protocol/,
  ],
  [
    'src/webview/drillReport/x.ts',
    `import type { DrillReport } from '../../core/drill/drillReport';\nexport type R = DrillReport;`,
    /outside src\/webview, src\/protocol/,
  ],
  [
    'src/webview/sqsBrowser/x.ts',
    `import { readFileSync } from 'node:fs';\nreadFileSync('x');`,
    /'node:fs' may not be imported here/,
  ],
  ['src/webview/x.ts', `import { parse } from 'yaml';\nparse('a: 1');`, /'yaml' may not be imported here/],
  [
    'src/protocol/x.ts',
    `import { PHASE_LABELS } from '../core/drill/drillReport';\nexport const l = PHASE_LABELS;`,
    /outside src\/protocol/,
  ],
  ['src/protocol/x.ts', `import { parse } from 'yaml';\nexport const p = parse;`, /'yaml' may not be imported here/],
  [
    'src/protocol/x.ts',
    `import type { Panel } from '../vscode/panel';\nexport type P = Panel;`,
    /outside src\/protocol/,
  ],
  [
    'src/core/drill/x.ts',
    `import { SnapshotReader } from '../snapshot/archive/snapshotReader';\nexport const r = SnapshotReader;`,
    /reaches into src\/core\/snapshot internals/,
  ],
  [
    'src/core/drill/x.ts',
    `import { sanitizeForRestore } from '../snapshot/sanitize';\nexport const s = sanitizeForRestore;`,
    /reaches into src\/core\/snapshot internals/,
  ],
  [
    'src/core/drill/x.ts',
    `import { standInVolumeFor } from '../snapshot/actions/persistentvolumeclaims';\nexport const s = standInVolumeFor;`,
    /reaches into src\/core\/snapshot internals/,
  ],
  [
    'src/core/drill/checks/x.ts',
    `import type { PlannedItem } from '../../snapshot/kube/restorePlan';\nexport type P = PlannedItem;`,
    /reaches into src\/core\/snapshot internals/,
  ],
  [
    'src/core/velero/x.ts',
    `import { GetObjectCommand } from '@aws-sdk/client-s3';\nexport const g = GetObjectCommand;`,
    /'@aws-sdk\/client-s3' may not be imported here: src\/core\/aws is the one AWS layer/,
  ],
  [
    'src/vscode/aws/x.ts',
    `import type { Message } from '@aws-sdk/client-sqs';\nexport type M = Message;`,
    /'@aws-sdk\/client-sqs' may not be imported here/,
  ],
  [
    'src/core/snapshot/aws/x.ts',
    `import { marshall } from '@aws-sdk/util-dynamodb';\nexport const m = marshall;`,
    /'@aws-sdk\/util-dynamodb' may not be imported here/,
  ],
];

for (const [file, code, expected] of crossings) {
  test(`reported: ${file} ← ${code.split('\n')[0]}`, async () => {
    const errors = await boundaryErrors(file, code);
    assert.equal(errors.length, 1, `expected one boundary error, got ${JSON.stringify(errors)}`);
    assert.match(errors[0] ?? '', expected);
  });
}

const allowed: [file: string, code: string][] = [
  [
    'src/core/drill/x.ts',
    `import { SnapshotReader } from '../snapshot';\nimport type { KubeObject } from '../snapshot/kubeObject';\nexport const r: KubeObject | typeof SnapshotReader = SnapshotReader;`,
  ],
  [
    'src/core/drill/x.ts',
    `import { actionFor } from '../snapshot/actions/registry';\nimport type { ProgressCallback } from '../snapshot/progress';\nexport const a: [typeof actionFor, ProgressCallback?] = [actionFor];`,
  ],
  [
    'src/core/drill/x.ts',
    `import { createSnapshot } from '../snapshot/index';\nimport { readFile } from 'node:fs/promises';\nexport const c = [createSnapshot, readFile];`,
  ],
  [
    'src/core/snapshot/kube/x.ts',
    `import { itemId } from './restorePlan';\nimport { SnapshotReader } from '../archive/snapshotReader';\nexport const a = [itemId, SnapshotReader];`,
  ],
  [
    'src/vscode/x.ts',
    `import * as vscode from 'vscode';\nimport { createSnapshot } from '../core/snapshot';\nexport const a = [vscode, createSnapshot];`,
  ],
  [
    'src/webview/drillReport/x.ts',
    `import type { DrillReportHostMessage } from '../../protocol/drillReport';\nimport { h } from '../shared/dom';\nimport { seconds } from './charts';\nexport const a: [typeof h, typeof seconds, DrillReportHostMessage?] = [h, seconds];`,
  ],
  [
    'src/protocol/x.ts',
    `import type { DrillReport } from '../core/drill/drillReport';\nimport { accept } from './validate';\nexport type R = DrillReport;\nexport const a = accept;`,
  ],
  ['src/cli/x.ts', `import { createSnapshot } from '../core/snapshot';\nexport const c = createSnapshot;`],
  [
    'src/core/aws/x.ts',
    `import { GetObjectCommand } from '@aws-sdk/client-s3';\nimport { marshall } from '@aws-sdk/util-dynamodb';\nexport const a = [GetObjectCommand, marshall];`,
  ],
];

for (const [file, code] of allowed) {
  test(`allowed: ${file} ← ${code.split('\n')[0]}`, async () => {
    assert.deepEqual(await boundaryErrors(file, code), []);
  });
}

test('the project config applies the boundary rule, with this boundary list, to every file of src/', async () => {
  const project = new ESLint({ cwd: root });
  for (const file of [
    'src/core/drill/runDrill.ts',
    'src/webview/drillReport/main.ts',
    'src/protocol/drillReport.ts',
    'src/cli/main.ts',
  ]) {
    const resolved = (await project.calculateConfigForFile(path.join(root, file))) as {
      rules?: Record<string, unknown>;
    };
    assert.deepEqual(resolved.rules?.['drydock/import-boundaries'], [2, { root, boundaries }], file);
  }
});
