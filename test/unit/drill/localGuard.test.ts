import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '../../../src/core/kube/clientNode';
import { runDrill } from '../../../src/core/drill';
import { DrydockError } from '../../../src/core/errors';

function remoteConfig(server: string, context: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server, skipTLSVerify: false }],
    users: [{ name: 'u', token: 'x' }],
    contexts: [{ name: context, cluster: 'c', user: 'u' }],
    currentContext: context,
  });
  return kc;
}

test('a drill refuses a cluster that is not local before it writes anything, even to its own workspace', async () => {
  const ws = mkdtempSync(join(tmpdir(), 'drill-guard-'));
  try {
    // 192.0.2.1 is TEST-NET-1: nothing answers, and the guard must not even try.
    await assert.rejects(
      runDrill({
        recoveryPoint: '/nonexistent',
        workspaceDir: ws,
        kube: { kubeConfig: remoteConfig('https://192.0.2.1:6443', 'prod') },
      }),
      (e: unknown) =>
        DrydockError.is(e, 'not-local') && /Refusing to write to context "prod"/.test((e as Error).message),
    );
    await assert.rejects(
      runDrill({
        recoveryPoint: '/nonexistent',
        workspaceDir: ws,
        kube: { kubeConfig: remoteConfig('https://127.0.0.1:1', 'local') },
        aws: { endpoint: { url: 'https://sqs.eu-west-1.amazonaws.com', region: 'eu-west-1' } },
      }),
      (e: unknown) => DrydockError.is(e, 'not-local') && /AWS endpoint/.test((e as Error).message),
    );
    assert.equal(existsSync(join(ws, '.drydock')), false);
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
});
