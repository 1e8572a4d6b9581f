// The pre-push hook on a real git repository with a bare remote: a failing drill blocks the push, a passing
// one lets it through, --no-verify skips it, and a foreign hook is never overwritten without --force.
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HOOK_MARKER } from '../../../src/core/drill/prePushHook';
import { drillsDirOf, readDrillHistory } from '../../../src/core/drill';
import { kubeconfigPath, repoRoot } from '../../support/env';
import { CONTEXT, createFixtureNamespace, deleteNamespace, endpoint, leftoversOf, liveEnv, tempDir } from './drillEnv';

const env = liveEnv();
const dir = tempDir('drill-hook');
const cli = join(repoRoot, 'dist', 'cli.js');
const work = join(dir, 'work');
const remote = join(dir, 'remote.git');
let ns: string;

const gitEnv = {
  ...process.env,
  KUBECONFIG: kubeconfigPath(),
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@e',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@e',
  DRYDOCK_CLI: '',
};
function git(cwd: string, ...args: string[]) {
  return spawnSync('git', args, { cwd, env: gitEnv, encoding: 'utf8' });
}
function ok(r: ReturnType<typeof git>) {
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
  return r.stdout.trim();
}
function drydock(cwd: string, ...args: string[]) {
  return spawnSync(process.execPath, [cli, ...args], { cwd, env: gitEnv, encoding: 'utf8' });
}
function writeDrillFile(check: string) {
  mkdirSync(join(work, '.drydock'), { recursive: true });
  writeFileSync(
    join(work, '.drydock', 'drill.yaml'),
    `namespace: ${ns}\ncontext: ${CONTEXT}\naws: { endpoint: ${endpoint.url} }\nreadyTimeoutSeconds: 30\nchecks:\n  - name: hook check\n    run: ${JSON.stringify(check)}\n`,
  );
  ok(git(work, 'add', '.drydock/drill.yaml'));
  ok(git(work, 'commit', '-q', '-m', `drill: ${check}`));
}
const remoteHead = () => git(remote, 'rev-parse', '--verify', '-q', 'refs/heads/main').stdout.trim();

before(async () => {
  if (!existsSync(cli) || !readFileSync(cli, 'utf8').includes('hooks install'))
    throw new Error(`${cli} is missing or has no hooks command: run \`npm run build\` first.`);
  const { kube } = await env;
  ns = await createFixtureNamespace(kube, 'drillfx-hook', [
    {
      path: '/api/v1/namespaces/{ns}/configmaps',
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { COLOUR: 'blue' } },
    },
  ]);
  ok(git(dir, 'init', '-q', '--bare', '-b', 'main', remote));
  ok(git(dir, 'init', '-q', '-b', 'main', work));
  ok(git(work, 'remote', 'add', 'origin', remote));
  writeFileSync(join(work, '.gitignore'), '.drydock/drills/\n');
  ok(git(work, 'add', '.gitignore'));
  ok(git(work, 'commit', '-q', '-m', 'init'));
});

after(async () => {
  const { kube, aws } = await env;
  await deleteNamespace(kube, ns);
  aws.destroy();
  rmSync(dir, { recursive: true, force: true });
});

test("hooks install writes an executable pre-push hook into the repository's hooks directory", () => {
  const r = drydock(work, 'hooks', 'install');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Pre-push hook created: .*\.git\/hooks\/pre-push/);
  const hook = join(work, '.git', 'hooks', 'pre-push');
  assert.ok(readFileSync(hook, 'utf8').includes(HOOK_MARKER));
  assert.ok(readFileSync(hook, 'utf8').includes('drill --config'));
  assert.equal(
    drydock(work, 'hooks', 'install').stdout.includes('replaced'),
    true,
    "installing again replaces Drydock's own hook",
  );
});

test('a failing drill blocks the push; --no-verify skips the hook as usual', () => {
  writeDrillFile('echo "checking $DRYDOCK_NAMESPACE"; exit 3');
  const push = git(work, 'push', 'origin', 'HEAD:main');
  assert.notEqual(push.status, 0, 'the push is refused');
  assert.match(push.stderr, /drydock drill: FAILED/);
  assert.match(push.stderr, /failed to push|pre-push hook/);
  assert.equal(remoteHead(), '', 'nothing reached the remote');
  const skip = git(work, 'push', '--no-verify', 'origin', 'HEAD:main');
  assert.equal(skip.status, 0, skip.stderr);
  assert.doesNotMatch(skip.stderr, /drydock drill/);
  assert.equal(remoteHead(), ok(git(work, 'rev-parse', 'HEAD')));
});

test('a passing drill lets the push through; its report comes before the target is removed', async () => {
  writeDrillFile(
    'kubectl version >/dev/null 2>&1 || true; test -n "$DRYDOCK_NAMESPACE" && test "$DRYDOCK_NAMESPACE" != "' +
      'x' +
      '"',
  );
  const push = git(work, 'push', 'origin', 'HEAD:main');
  assert.equal(push.status, 0, push.stderr);
  assert.match(push.stderr, /drydock drill: PASSED/);
  assert.equal(remoteHead(), ok(git(work, 'rev-parse', 'HEAD')));
  // Cleanup is off the drill's critical path: the verdict is printed first, the CLI exits once the target is gone.
  const verdict = push.stderr.indexOf('drydock drill: PASSED');
  const removed = push.stderr.search(/drydock drill: drill target removed in \d/);
  assert.ok(removed > verdict, push.stderr);
  const runId = (await readDrillHistory(drillsDirOf(work))).at(-1)?.runId ?? '';
  assert.match(runId, /\S/);
  const { kube, aws } = await env;
  assert.deepEqual(await leftoversOf(kube, aws, runId), []);
});

test('a foreign pre-push hook is kept unless --force, which saves it as a backup', () => {
  const other = join(dir, 'other');
  ok(git(dir, 'init', '-q', other));
  const hook = join(other, '.git', 'hooks', 'pre-push');
  writeFileSync(hook, '#!/bin/sh\necho mine\n', { mode: 0o755 });
  const refused = drydock(other, 'hooks', 'install');
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /already exists and is not Drydock's hook/);
  assert.equal(readFileSync(hook, 'utf8'), '#!/bin/sh\necho mine\n');
  const forced = drydock(other, 'hooks', 'install', '--force');
  assert.equal(forced.status, 0, forced.stderr);
  assert.ok(readFileSync(hook, 'utf8').includes(HOOK_MARKER));
  assert.equal(readFileSync(`${hook}.drydock-backup`, 'utf8'), '#!/bin/sh\necho mine\n');
  const outside = drydock(dir, 'hooks', 'install');
  assert.equal(outside.status, 2, 'outside a repository is a usage error');
});
