import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  findLeftovers,
  isDrillAlive,
  ledgerPath,
  readLedgers,
  removeLedger,
  writeLedger,
  type DrillLedger,
  type LabelledDrillObject,
  type Liveness,
} from '../../../src/core/drill/ledger';

const now = Date.parse('2026-11-22T10:00:00Z');
const ledger = (runId: string, pid: number, over: Partial<DrillLedger> = {}): DrillLedger => ({
  runId,
  createdAt: new Date(now - 60_000).toISOString(),
  pid,
  host: 'box',
  kube: {
    context: 'drydock-local',
    server: 'https://127.0.0.1:16443',
    namespaces: [`drill-x-${runId}`],
    persistentVolumes: [],
    clusterObjects: [],
  },
  ...over,
});
const live = (alivePids: number[], selfRuns: string[] = []): Liveness => ({
  selfRuns: new Set(selfRuns),
  host: 'box',
  now,
  processAlive: (pid) => alivePids.includes(pid),
});

test("ledgers of dead processes are leftovers; running drills, and this process's own, are not", () => {
  const ledgers = [
    ledger('aaaaaa1', 101),
    ledger('bbbbbb2', 102),
    ledger('cccccc3', process.pid),
    ledger('dddddd4', process.pid),
  ];
  const found = findLeftovers(ledgers, [], live([102], ['dddddd4']));
  // 101 is dead; 102 runs; cccccc3 was this pid but is no longer running here (an earlier drill of this process); dddddd4 runs here.
  assert.deepEqual(
    found.ledgers.map((l) => l.runId),
    ['aaaaaa1', 'cccccc3'],
  );
});

test('labelled objects without a ledger are orphans unless their drill still runs', () => {
  const labelled: LabelledDrillObject[] = [
    { kind: 'Namespace', name: 'drill-a', runId: 'aaaaaa1', pid: 101, host: 'box' }, // has a ledger: handled through it
    { kind: 'Namespace', name: 'drill-e', runId: 'eeeeee5', pid: 105, host: 'box' }, // dead, no ledger
    { kind: 'Namespace', name: 'drill-f', runId: 'ffffff6', pid: 106, host: 'box' }, // alive elsewhere in this machine
    { kind: 'PersistentVolume', name: 'drill-g-1', runId: 'gggggg7' }, // no owner recorded
  ];
  const found = findLeftovers([ledger('aaaaaa1', 101)], labelled, live([106]));
  assert.deepEqual(
    found.orphans.map((o) => o.name),
    ['drill-e', 'drill-g-1'],
  );
});

test('a drill on another host counts as running until it is too old; a very old pid is never trusted', () => {
  const l = live([7]);
  assert.equal(
    isDrillAlive({ runId: 'r00001', pid: 7, host: 'other', createdAt: new Date(now - 60_000).toISOString() }, l),
    true,
  );
  assert.equal(
    isDrillAlive({ runId: 'r00001', pid: 7, host: 'other', createdAt: new Date(now - 7 * 3600_000).toISOString() }, l),
    false,
  );
  assert.equal(
    isDrillAlive({ runId: 'r00001', pid: 7, host: 'box', createdAt: new Date(now - 7 * 3600_000).toISOString() }, l),
    false,
  );
});

test('ledgers are written atomically, read back, and damaged files are reported but not fatal', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'drill-ledger-'));
  try {
    assert.deepEqual(await readLedgers(dir), []);
    const l = ledger('abcdef1', 4242, {
      aws: {
        endpoint: 'http://localhost:4566',
        region: 'us-east-1',
        queues: ['drill-abcdef1-q'],
        tables: [],
        buckets: [],
      },
    });
    await writeLedger(dir, l);
    assert.deepEqual(JSON.parse(readFileSync(ledgerPath(dir, 'abcdef1'), 'utf8')), l);
    writeFileSync(join(dir, 'ledger', 'zzzzzz9.json'), '{"runId": "zzz'); // cut short by a kill
    writeFileSync(join(dir, 'ledger', 'yyyyyy8.json'), JSON.stringify({ ...l, runId: 'other99' })); // name and content disagree
    const bad: string[] = [];
    const read = await readLedgers(dir, (file) => bad.push(file));
    assert.deepEqual(
      read.map((x) => x.runId),
      ['abcdef1'],
    );
    assert.equal(bad.length, 2);
    await removeLedger(dir, 'abcdef1');
    assert.deepEqual(
      (await readLedgers(dir)).map((x) => x.runId),
      [],
    );
    assert.throws(() => ledgerPath(dir, '../escape'), /Invalid drill run id/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
