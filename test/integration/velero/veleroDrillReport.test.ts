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
import type { DrillReport } from '../../../src/core/drill';
import { awsEndpointUrl, kubeconfigPath, repoRoot } from '../../support/env';

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
