// `drydock drill` of a real Velero backup (the corpus's backup of the sample namespace, made by Velero v1.18.3): the
// report names the backup as the user gave it (never the private copy it was opened into), and starts from what the
// backup admits it lacks — Velero's own report (here: a volume whose data it did not back up) — and from what no
// adaptation could make work on this cluster, each as a gap.
import { after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { runDrill, type DrillReport } from '../../../src/core/drill';
import { newRunId } from '../../../src/core/drill/scratchNames';
import { knownAwsSettingsOf } from '../../../src/core/adapt/awsLocalCopyStep';
import { resolveRecoveryPoint } from '../../../src/core/velero';
import { awsEndpointUrl, kubeconfigPath, repoRoot } from '../../support/env';
import { endpoint, kubeOptions, leftoversOf, liveEnv, takeRecoveryPoint } from '../drill/drillEnv';

const CORPUS = resolve(repoRoot, '..', 'shared', 'corpus', 'velero', 'backups', 'b1');
const haveCorpus = existsSync(join(CORPUS, 'velero-backup.json'));
const skipNoCorpus = haveCorpus ? false : `SKIPPED: the Velero corpus ${CORPUS} is absent`;
const work = mkdtempSync(join(tmpdir(), 'velero-drill-report-'));

after(() => rmSync(work, { recursive: true, force: true }));

function drydock(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'src', 'cli', 'main.ts'), ...args], {
      cwd: repoRoot,
      env: process.env,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const kill = setTimeout(() => child.kill('SIGKILL'), 240_000);
    child.on('exit', (code) => {
      clearTimeout(kill);
      done({ code, stdout, stderr });
    });
  });
}

test(
  "a drill of a Velero backup names the backup, and its gaps start from Velero's own report and the report-only adaptations",
  { skip: skipNoCorpus, timeout: 300_000 },
  async () => {
    const reportFile = join(work, 'report.md');
    const r = await drydock([
      'drill',
      CORPUS,
      '--kubeconfig',
      kubeconfigPath(),
      '--context',
      'drydock-local',
      '--aws-endpoint',
      awsEndpointUrl(),
      '--workspace',
      work,
      '--ready-timeout',
      '5',
      '--json',
      '--report',
      reportFile,
    ]);
    assert.ok(r.code === 0 || r.code === 1, `the drill ran (exit ${r.code}): ${r.stderr.slice(-2000)}`);
    const report = JSON.parse(r.stdout) as DrillReport;
    assert.equal(report.error, undefined, report.error);

    // The recovery point is the backup the user named, not the temporary directory it was opened into.
    assert.equal(report.recoveryPoint.path, CORPUS);
    assert.equal(report.recoveryPoint.id, 'b1');
    const markdown = readFileSync(reportFile, 'utf8');
    assert.ok(markdown.includes(`Recovery point: \`${CORPUS}\``), markdown.slice(0, 600));
    assert.doesNotMatch(markdown + r.stderr, /drydock-velero-/);

    // What Velero reported lacking at backup time (its volume info: shop-data's data was not backed up).
    const volumeInfo = 'podvolume: opted out due to annotation';
    const notInBackup = report.gaps.filter((g) => g.kind === 'not-in-backup');
    assert.deepEqual(
      notInBackup.map((g) => g.subject),
      ['persistentvolumeclaims/shop/shop-data'],
    );
    assert.match(notInBackup[0]!.message, new RegExp(`^Velero: .*${volumeInfo}`));
    assert.equal(report.gaps[0]?.kind, 'not-in-backup', 'the first gap is what the backup admits it lacks');

    // Every adaptation that could only be reported is a gap of its own, naming the object it touched.
    const reportOnly = (report.adapted?.adaptations ?? []).filter((a) => a.gap);
    assert.ok(reportOnly.length > 0, 'the sample claim needs an adaptation that can only be reported');
    for (const a of reportOnly)
      assert.ok(
        report.gaps.some((g) => g.kind === 'not-adapted' && g.subject === a.subject && g.message.includes(a.change)),
        `no not-adapted gap for ${a.kind} ${a.subject}`,
      );
    const missing = markdown.slice(markdown.indexOf('## What was missing'));
    assert.ok(
      missing.indexOf('### Not in the backup') >= 0 && missing.indexOf('### Not in the backup') < 40,
      missing.slice(0, 300),
    );
  },
);

test(
  '--aws-from: a drill of a Velero backup makes the local copy of a referenced table with the key schema a Drydock snapshot recorded',
  { skip: skipNoCorpus, timeout: 300_000 },
  async () => {
    const { kube, aws } = await liveEnv();
    try {
      // The sample's table (hash key "sku") captured by Drydock; Velero's backup of the sample only names it.
      const snapshot = await takeRecoveryPoint(work, 'aws-from', {
        kube: { client: kube, namespaces: ['shop'] },
        aws: { clients: aws, queues: [], tables: ['shop-products'], buckets: [] },
      });
      const known = await knownAwsSettingsOf(snapshot);
      const opened = await resolveRecoveryPoint(CORPUS, { toolVersion: 'test' });
      const runId = newRunId();
      let keySchema: Promise<unknown> | undefined;
      try {
        const report = await runDrill(
          {
            recoveryPoint: opened.path,
            recoveryPointLabel: opened.label,
            keySource: opened.keySource,
            workspaceDir: work,
            kube: kubeOptions(),
            aws: { endpoint },
            runId,
            readyTimeoutMs: 3_000,
            knownAwsSettings: known,
          },
          {
            // The copies are made before the readiness phase starts: read the table's key schema then.
            onProgress: (e) => {
              if (e.phase === 'readiness' && !keySchema)
                keySchema = aws.dynamodb
                  .send(new DescribeTableCommand({ TableName: `drill-${runId}-shop-products` }))
                  .then((d) => d.Table?.KeySchema);
            },
          },
        );
        assert.equal(report.error, undefined, report.error);
      } finally {
        await opened.close();
      }
      assert.ok(keySchema, 'the drill reached its readiness phase');
      assert.deepEqual(await keySchema, [{ AttributeName: 'sku', KeyType: 'HASH' }]);
      assert.deepEqual(await leftoversOf(kube, aws, runId), []);
    } finally {
      aws.destroy();
    }
  },
);

test('--aws-from a snapshot without queues or tables is refused, naming it', async () => {
  const { kube, aws } = await liveEnv();
  try {
    const snapshot = await takeRecoveryPoint(work, 'no-aws', { kube: { client: kube, namespaces: ['default'] } });
    await assert.rejects(knownAwsSettingsOf(snapshot), (e: Error) => {
      assert.match(e.message, /has no queues or tables in its AWS part/);
      assert.ok(e.message.includes(snapshot));
      return true;
    });
    // The CLI: a usage error before the backup is opened or anything is written.
    const r = await drydock([
      'drill',
      CORPUS,
      '--kubeconfig',
      kubeconfigPath(),
      '--context',
      'drydock-local',
      '--aws-endpoint',
      awsEndpointUrl(),
      '--workspace',
      work,
      '--aws-from',
      snapshot,
    ]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /has no queues or tables in its AWS part/);
    assert.doesNotMatch(r.stderr, /Velero backup b1/, 'refused before the backup was opened');
  } finally {
    aws.destroy();
  }
});

test(
  'restore --aws-from (dry run): the local copy of a table a Velero backup references takes the recorded settings',
  { skip: skipNoCorpus, timeout: 300_000 },
  async () => {
    const { kube, aws } = await liveEnv();
    try {
      const snapshot = await takeRecoveryPoint(work, 'aws-from-restore', {
        kube: { client: kube, namespaces: ['shop'] },
        aws: { clients: aws, queues: [], tables: ['shop-products'], buckets: [] },
      });
      const restore = (extra: string[]) =>
        drydock([
          'restore',
          CORPUS,
          '--dry-run',
          '--json',
          '--namespace-map',
          `shop:aws-from-${Date.now().toString(36)}`,
          '--aws-prefix',
          'aws-from-',
          '--kubeconfig',
          kubeconfigPath(),
          '--context',
          'drydock-local',
          '--aws-endpoint',
          awsEndpointUrl(),
          ...extra,
        ]);
      const copyOf = (stdout: string) =>
        (JSON.parse(stdout) as { items: Array<{ source?: string; message?: string }> }).items.find(
          (i) => i.source === 'dynamodb:shop-products',
        );
      const recorded = await restore(['--aws-from', snapshot]);
      assert.equal(recorded.code, 0, recorded.stderr);
      assert.match(copyOf(recorded.stdout)?.message ?? '', /from the recorded table/);
      const inferred = await restore([]);
      assert.equal(inferred.code, 0, inferred.stderr);
      assert.match(copyOf(inferred.stdout)?.message ?? '', /inferred: .*"pk"/);
    } finally {
      aws.destroy();
    }
  },
);
