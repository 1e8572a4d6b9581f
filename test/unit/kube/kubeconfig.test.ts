import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DrydockError } from '../../../src/core/errors';
import { kubeconfigFiles, listContexts, loadKubeConfig } from '../../../src/core/kube/kubeconfig';

function kubeconfig(opts: {
  clusters: Array<[string, string, string?]>;
  users: string[];
  contexts: Array<[string, string, string, string?]>;
  current?: string;
}): string {
  const lines = ['apiVersion: v1', 'kind: Config', 'clusters:'];
  for (const [name, server, caFile] of opts.clusters) {
    lines.push(`- name: ${name}`, '  cluster:', `    server: ${server}`);
    if (caFile) lines.push(`    certificate-authority: ${caFile}`);
  }
  lines.push('users:');
  for (const u of opts.users) lines.push(`- name: ${u}`, '  user:', `    token: token-of-${u}`);
  lines.push('contexts:');
  for (const [name, cluster, user, ns] of opts.contexts) {
    lines.push(`- name: ${name}`, '  context:', `    cluster: ${cluster}`, `    user: ${user}`);
    if (ns) lines.push(`    namespace: ${ns}`);
  }
  if (opts.current) lines.push(`current-context: ${opts.current}`);
  return lines.join('\n') + '\n';
}

function withTempDir(fn: (dir: string) => void): void {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'drydock-kubeconfig-'));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('KUBECONFIG with several files merges as kubectl does: the first file to name a thing wins', () => {
  withTempDir((dir) => {
    const a = path.join(dir, 'a.yaml');
    const b = path.join(dir, 'b.yaml');
    writeFileSync(
      a,
      kubeconfig({
        clusters: [['shared', 'https://127.0.0.1:6443']],
        users: ['alice'],
        contexts: [['dev', 'shared', 'alice', 'team-a']],
        current: 'dev',
      }),
    );
    writeFileSync(
      b,
      kubeconfig({
        clusters: [
          ['shared', 'https://10.9.9.9:6443'],
          ['kind', 'https://127.0.0.1:7443'],
        ],
        users: ['alice', 'bob'],
        contexts: [
          ['dev', 'kind', 'bob'],
          ['kind-x', 'kind', 'bob'],
        ],
        current: 'kind-x',
      }),
    );
    const kc = loadKubeConfig(
      undefined,
      { KUBECONFIG: [a, path.join(dir, 'missing.yaml'), b].join(path.delimiter) },
      dir,
    );
    assert.equal(kc.getCurrentContext(), 'dev', 'first current-context wins');
    assert.equal(kc.getCluster('shared')?.server, 'https://127.0.0.1:6443', 'first cluster of a name wins');
    assert.equal(kc.getUser('alice')?.token, 'token-of-alice');
    assert.equal(kc.getUser('bob')?.token, 'token-of-bob', 'names only in a later file are added');
    const dev = kc.getContextObject('dev');
    assert.deepEqual(
      [dev?.cluster, dev?.user, dev?.namespace],
      ['shared', 'alice', 'team-a'],
      'first context of a name wins',
    );
    assert.deepEqual(
      kc.getContexts().map((c) => c.name),
      ['dev', 'kind-x'],
    );
  });
});

test('explicit paths win over KUBECONFIG, and a missing explicit file is an error that names it', () => {
  withTempDir((dir) => {
    const a = path.join(dir, 'a.yaml');
    const env = path.join(dir, 'env.yaml');
    writeFileSync(
      a,
      kubeconfig({ clusters: [['c', 'https://127.0.0.1:1']], users: ['u'], contexts: [['from-explicit', 'c', 'u']] }),
    );
    writeFileSync(
      env,
      kubeconfig({ clusters: [['c', 'https://127.0.0.1:2']], users: ['u'], contexts: [['from-env', 'c', 'u']] }),
    );
    const kc = loadKubeConfig([a], { KUBECONFIG: env }, dir);
    assert.deepEqual(
      kc.getContexts().map((c) => c.name),
      ['from-explicit'],
    );
    const missing = path.join(dir, 'nope.yaml');
    assert.throws(
      () => loadKubeConfig([missing], {}, dir),
      (e: unknown) => DrydockError.is(e, 'not-found') && e.message.includes(missing),
    );
  });
});

test('without KUBECONFIG, ~/.kube/config is read; without it, the config is empty', () => {
  withTempDir((home) => {
    assert.deepEqual(loadKubeConfig(undefined, {}, home).getContexts(), []);
    mkdirSync(path.join(home, '.kube'));
    writeFileSync(
      path.join(home, '.kube', 'config'),
      kubeconfig({
        clusters: [['c', 'https://127.0.0.1:3']],
        users: ['u'],
        contexts: [['home', 'c', 'u']],
        current: 'home',
      }),
    );
    const kc = loadKubeConfig(undefined, { KUBECONFIG: '' }, home);
    assert.equal(kc.getCurrentContext(), 'home');
    assert.deepEqual(kubeconfigFiles(undefined, {}, home), {
      files: [path.join(home, '.kube', 'config')],
      explicit: false,
    });
  });
});

test('relative certificate paths resolve against the file naming them; empty files are accepted', () => {
  withTempDir((dir) => {
    mkdirSync(path.join(dir, 'sub'));
    const file = path.join(dir, 'sub', 'config');
    writeFileSync(
      file,
      kubeconfig({ clusters: [['c', 'https://127.0.0.1:4', 'ca.crt']], users: ['u'], contexts: [['x', 'c', 'u']] }),
    );
    const empty = path.join(dir, 'empty');
    writeFileSync(empty, '');
    const kc = loadKubeConfig([empty, file], {}, dir);
    assert.equal(kc.getCluster('c')?.caFile, path.join(dir, 'sub', 'ca.crt'));
  });
});

test('an unparsable kubeconfig is an error that names the file', () => {
  withTempDir((dir) => {
    const bad = path.join(dir, 'bad');
    writeFileSync(bad, 'clusters: [unclosed\n');
    assert.throws(
      () => loadKubeConfig([bad], {}, dir),
      (e: unknown) => DrydockError.is(e, 'invalid-input') && e.message.includes(bad),
    );
  });
});

test('listContexts marks local contexts with the reason from the guard', () => {
  withTempDir((dir) => {
    const file = path.join(dir, 'config');
    writeFileSync(
      file,
      kubeconfig({
        clusters: [
          ['loop', 'https://127.0.0.1:6443'],
          ['remote', 'https://k8s.example.com'],
          ['kindc', 'https://172.18.0.2:6443'],
        ],
        users: ['u'],
        contexts: [
          ['mine', 'loop', 'u', 'shop'],
          ['prod', 'remote', 'u'],
          ['kind-dev', 'kindc', 'u'],
          ['staging', 'remote', 'u'],
          ['dangling', 'nowhere', 'u'],
        ],
      }),
    );
    const contexts = listContexts(loadKubeConfig([file], {}, dir), ['staging']);
    // A context's name counts for nothing: kind-dev's server is not an address of this machine (unless the
    // machine hosts that bridge), and k8s.example.com was not resolved (no lookup in a unit test): not local.
    const kindLocal = Object.values(os.networkInterfaces()).some((l) => l?.some((a) => a.address === '172.18.0.2'))
      ? 'this-machine'
      : undefined;
    assert.deepEqual(
      contexts.map(({ why, ...c }) => (assert.ok(why, `${c.name} says why`), c)),
      [
        {
          name: 'mine',
          cluster: 'loop',
          server: 'https://127.0.0.1:6443',
          user: 'u',
          namespace: 'shop',
          local: 'loopback-server',
        },
        { name: 'prod', cluster: 'remote', server: 'https://k8s.example.com', user: 'u', local: undefined },
        { name: 'kind-dev', cluster: 'kindc', server: 'https://172.18.0.2:6443', user: 'u', local: kindLocal },
        { name: 'staging', cluster: 'remote', server: 'https://k8s.example.com', user: 'u', local: 'allowed-by-user' },
        { name: 'dangling', cluster: 'nowhere', server: '', user: 'u', local: undefined },
      ],
    );
    assert.match(contexts[1]!.why, /k8s\.example\.com has not been resolved/);
    assert.match(contexts[3]!.why, /allow list/);
  });
});
