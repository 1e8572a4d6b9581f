/**
 * A 2,000-object namespace: snapshot vs a `kubectl get <type> -o json` loop and vs the bare list calls;
 * restore into a fresh namespace vs `kubectl apply -f` of the same (sanitised) objects.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { stringify } from 'yaml';
import { createSnapshot, restoreSnapshot, SnapshotReader, planKubeRestore } from '../src/core/snapshot';
import { generateSnapshotIdentity, type SecretKeySource } from '../src/core/snapshot/secretCrypto';
import { prepareItem } from '../src/core/snapshot/kube/restoreKube';
import { capturableTypes } from '../src/core/snapshot/kube/captureKube';
import { discoverResources, resourcePath, type ApiResourceType } from '../src/core/kube/discovery';
import { KubeApiError } from '../src/core/kube/kubeApiError';
import type { KubeRawClient } from '../src/core/kube/rawClient';
import { forEachLimited } from '../src/core/snapshot/concurrency';
import { mainIf, measuredRuns, type Benchmark } from './lib/benchmark';
import { deleteNamespace, kubectlArgs, kubectlPath, sleep, uniqueId, type BenchEnv } from './lib/env';
import { compare, measureInProcess, runChecked, type Sample } from './lib/measure';
import { newResult, type BenchResult } from './lib/result';

const PASSPHRASE = { passphrase: 'bench' };

/** How the 2,000 objects are made up. */
export const MIX = {
  configmaps: 500,
  secrets: 300,
  services: 200,
  serviceaccounts: 200,
  roles: 150,
  rolebindings: 150,
  deployments: 250,
  widgets: 250,
} as const;
const TOTAL = Object.values(MIX).reduce((a, b) => a + b, 0);
/** A namespace's make-up: how many of each (MIX, or a smaller one of the same kinds). */
export type Mix = { readonly [K in keyof typeof MIX]: number };

/** MIX scaled by `f` (at least one of each kind). */
export const scaledMix = (f: number): Mix =>
  Object.fromEntries(Object.entries(MIX).map(([k, n]) => [k, Math.max(1, Math.round(n * f))])) as Mix;

interface Crd {
  group: string;
  plural: string;
  name: string;
}

export function crdFor(id: string): Crd {
  const group = `g${id}.bench.drydock.dev`;
  return { group, plural: 'benchwidgets', name: `benchwidgets.${group}` };
}

const pad = (i: number) => String(i).padStart(4, '0');
const filler = (i: number, n: number) =>
  Array.from({ length: n }, (_, j) => `value-${i}-${j}-${'x'.repeat(20)}`).join(',');

/** The namespace's objects, each with the collection it is POSTed to. */
function objects(
  ns: string,
  crd: Crd,
  mix: Mix,
  running: number,
): Array<{ path: string; body: Record<string, unknown> }> {
  const out: Array<{ path: string; body: Record<string, unknown> }> = [];
  const labels = (app: string) => ({ app, 'drydock-bench': 'kube' });
  for (let i = 0; i < mix.configmaps; i++) {
    out.push({
      path: `/api/v1/namespaces/${ns}/configmaps`,
      body: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `cm-${pad(i)}`, labels: labels(`app-${i % 50}`) },
        data: {
          'app.properties': filler(i, 10),
          QUEUE_URL: `http://localhost:4566/000000000000/queue-${i}`,
          'settings.json': JSON.stringify({ i, enabled: i % 2 === 0, tags: ['a', 'b'] }),
        },
      },
    });
  }
  for (let i = 0; i < mix.secrets; i++) {
    out.push({
      path: `/api/v1/namespaces/${ns}/secrets`,
      body: {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: `secret-${pad(i)}`, labels: labels(`app-${i % 50}`) },
        type: 'Opaque',
        data: {
          password: Buffer.from(`p4ss-${i}-${'s'.repeat(24)}`).toString('base64'),
          token: Buffer.from(filler(i, 3)).toString('base64'),
        },
      },
    });
  }
  for (let i = 0; i < mix.services; i++) {
    const headless = i % 2 === 0;
    out.push({
      path: `/api/v1/namespaces/${ns}/services`,
      body: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: `svc-${pad(i)}`, labels: labels(`app-${i}`) },
        spec: {
          ...(headless ? { clusterIP: 'None' } : {}),
          selector: { app: `app-${running ? i % running : i}` },
          ports: [{ name: 'http', port: 80, targetPort: 8080 }],
        },
      },
    });
  }
  for (let i = 0; i < mix.serviceaccounts; i++) {
    out.push({
      path: `/api/v1/namespaces/${ns}/serviceaccounts`,
      body: {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: `sa-${pad(i)}`, labels: labels(`app-${i % 50}`) },
      },
    });
  }
  for (let i = 0; i < mix.roles; i++) {
    out.push({
      path: `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/roles`,
      body: {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: `role-${pad(i)}` },
        rules: [
          { apiGroups: [''], resources: ['configmaps', 'secrets'], verbs: ['get', 'list', 'watch'] },
          { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get'] },
        ],
      },
    });
  }
  for (let i = 0; i < mix.rolebindings; i++) {
    out.push({
      path: `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings`,
      body: {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: `rb-${pad(i)}` },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `role-${pad(i)}` },
        subjects: [{ kind: 'ServiceAccount', name: `sa-${pad(i)}`, namespace: ns }],
      },
    });
  }
  for (let i = 0; i < mix.deployments; i++) {
    out.push({
      path: `/apis/apps/v1/namespaces/${ns}/deployments`,
      body: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: `deploy-${pad(i)}`, labels: labels(`app-${i}`) },
        spec: {
          replicas: i < running ? 1 : 0,
          selector: { matchLabels: { app: `app-${i}` } },
          template: {
            metadata: { labels: { app: `app-${i}` } },
            spec: {
              serviceAccountName: `sa-${pad(i % mix.serviceaccounts)}`,
              containers: [
                {
                  name: 'app',
                  image: 'registry.local/app:1.0',
                  ports: [{ containerPort: 8080 }],
                  env: [
                    {
                      name: 'CONFIG',
                      valueFrom: { configMapKeyRef: { name: `cm-${pad(i % mix.configmaps)}`, key: 'QUEUE_URL' } },
                    },
                    { name: 'MODE', value: 'bench' },
                  ],
                  resources: { requests: { cpu: '10m', memory: '16Mi' } },
                },
              ],
            },
          },
        },
      },
    });
  }
  for (let i = 0; i < mix.widgets; i++) {
    out.push({
      path: `/apis/${crd.group}/v1/namespaces/${ns}/${crd.plural}`,
      body: {
        apiVersion: `${crd.group}/v1`,
        kind: 'BenchWidget',
        metadata: { name: `widget-${pad(i)}` },
        spec: {
          size: i,
          colour: ['red', 'green', 'blue'][i % 3],
          nested: { list: [1, 2, 3], unknownField: 'kept as the server returned it' },
        },
      },
    });
  }
  return out;
}

export async function createCrd(kube: KubeRawClient, crd: Crd): Promise<void> {
  await kube.request('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: crd.name, labels: { 'drydock-bench': 'kube' } },
    spec: {
      group: crd.group,
      scope: 'Namespaced',
      names: { plural: crd.plural, singular: 'benchwidget', kind: 'BenchWidget', listKind: 'BenchWidgetList' },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
            },
          },
        },
      ],
    },
  });
  for (let i = 0; i < 120; i++) {
    const got = await kube.request<{ status?: { conditions?: Array<{ type: string; status: string }> } }>(
      'GET',
      `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.name}`,
    );
    if (got.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) break;
    await sleep(250);
  }
  // Discovery lags a little behind Established.
  for (let i = 0; i < 120; i++) {
    try {
      await kube.request('GET', `/apis/${crd.group}/v1`);
      return;
    } catch {
      await sleep(250);
    }
  }
  throw new Error(`CRD ${crd.name} is not served`);
}

export async function deleteCrd(kube: KubeRawClient, crd: Crd): Promise<void> {
  try {
    await kube.request('DELETE', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.name}`);
  } catch (error) {
    if (!(KubeApiError.is(error) && error.statusCode === 404)) throw error;
  }
}

/**
 * Makes the namespace (`mix` objects, MIX by default). Its first `running` Deployments have a Pod each and the
 * Services select those; by default none runs (the Services then have no endpoints, which a drill reports as not
 * ready).
 */
export async function populate(env: BenchEnv, ns: string, crd: Crd, mix: Mix = MIX, running = 0): Promise<void> {
  const { kube } = env;
  await kube.request('POST', '/api/v1/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: ns, labels: { 'drydock-bench': 'kube' } },
  });
  const all = objects(ns, crd, mix, running);
  const t0 = performance.now();
  await forEachLimited(all, 16, async (o) => {
    await kube.request('POST', o.path, o.body);
  });
  env.log(`  created ${all.length} objects in ${ns} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  // The deployment controller makes a ReplicaSet per Deployment (and their Pods): let it settle so every run lists
  // the same.
  for (let i = 0; i < 240; i++) {
    const rs = (await kube.list(`/apis/apps/v1/namespaces/${ns}/replicasets`)).items.length;
    const available = (await kube.list(`/apis/apps/v1/namespaces/${ns}/deployments`)).items.filter(
      (d) => ((d as { status?: { availableReplicas?: number } }).status?.availableReplicas ?? 0) > 0,
    ).length;
    if (rs >= mix.deployments && available >= running) return;
    await sleep(500);
  }
  env.log('  (not every Deployment has its ReplicaSet and Pods yet; continuing)');
}

const kubectlResource = (t: ApiResourceType) => (t.group ? `${t.resource}.${t.version}.${t.group}` : t.resource);

async function kubectlGetLoop(types: readonly ApiResourceType[], ns: string, dir: string): Promise<Sample> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  let peak = 0;
  const start = performance.now();
  for (const t of types) {
    const r = await runChecked(kubectlPath, kubectlArgs('get', kubectlResource(t), '-n', ns, '-o', 'json'), {
      stdoutFile: path.join(dir, `${kubectlResource(t)}.json`),
    });
    peak = Math.max(peak, r.peakRssMb);
  }
  return { seconds: (performance.now() - start) / 1000, peakRssMb: peak };
}

async function bareLists(kube: KubeRawClient, types: readonly ApiResourceType[], ns: string): Promise<number> {
  let n = 0;
  for (const t of types) for await (const _ of kube.listAll(resourcePath(t, ns))) n++;
  return n;
}

/** The objects exactly as the engine would send them into `targetNs`: the namespace first, then every other one. */
async function preparedObjects(
  source: string,
  keySource: SecretKeySource,
  fromNs: string,
  targetNs: string,
): Promise<{ namespace?: KubeObjectBody; items: Array<{ path: string; body: KubeObjectBody }> }> {
  const reader = await SnapshotReader.open(source, { keySource });
  try {
    const namespaceMap = new Map([[fromNs, targetNs]]);
    let namespace: KubeObjectBody | undefined;
    const items: Array<{ path: string; body: KubeObjectBody }> = [];
    for (const item of planKubeRestore(reader, { namespaceMap })) {
      const body = (await prepareItem(reader, item, { sanitize: { namespaceMap } })) as KubeObjectBody;
      if (item.groupResource === 'namespaces') namespace = body;
      else if (item.targetNamespace) items.push({ path: resourcePath(item.type, item.targetNamespace), body });
    }
    return { namespace, items };
  } finally {
    await reader.close();
  }
}
type KubeObjectBody = Record<string, unknown>;

/**
 * The API server's own pace for these objects: POST each prepared object (namespace first) with `concurrency`
 * requests in flight, in no particular order. An object that already exists (the namespace's default
 * ServiceAccount and kube-root-ca.crt ConfigMap, made by the controllers) counts as done, as for the restore.
 */
async function bareCreates(
  kube: KubeRawClient,
  prepared: Awaited<ReturnType<typeof preparedObjects>>,
  concurrency: number,
): Promise<number> {
  if (prepared.namespace) await kube.request('POST', '/api/v1/namespaces', prepared.namespace);
  let n = 0;
  await forEachLimited(prepared.items, concurrency, async (o) => {
    try {
      await kube.request('POST', o.path, o.body);
    } catch (error) {
      if (!(KubeApiError.is(error) && error.statusCode === 409)) throw error;
    }
    n++;
  });
  return n;
}

/** The objects exactly as the engine would send them into `targetNs`, as one multi-document YAML file. */
async function applyFile(
  source: string,
  keySource: SecretKeySource,
  fromNs: string,
  targetNs: string,
  file: string,
): Promise<number> {
  const reader = await SnapshotReader.open(source, { keySource });
  try {
    const namespaceMap = new Map([[fromNs, targetNs]]);
    const docs: string[] = [];
    for (const item of planKubeRestore(reader, { namespaceMap }))
      docs.push(stringify(await prepareItem(reader, item, { sanitize: { namespaceMap } })));
    await writeFile(file, docs.join('---\n'));
    return docs.length;
  } finally {
    await reader.close();
  }
}

export const bench: Benchmark = {
  name: 'kube',
  description: `${TOTAL}-object namespace: snapshot vs kubectl get loop and bare lists; restore vs kubectl apply`,
  async run(env) {
    const { kube, log } = env;
    const id = uniqueId();
    const ns = `bench-kube-${id}`;
    const crd = crdFor(id);
    const created: string[] = [];
    const results: BenchResult[] = [];
    try {
      await createCrd(kube, crd);
      await populate(env, ns, crd);
      const types = capturableTypes(await discoverResources(kube));
      const live = await bareLists(kube, types, ns);
      log(
        `  ${types.length} capturable types; ${live} objects listed in ${ns} (including ReplicaSets, Endpoints and defaults the cluster made)`,
      );

      // --- snapshot --- (DRYDOCK_BENCH_KUBE_PARTS=restore skips it)
      const parts = (process.env.DRYDOCK_BENCH_KUBE_PARTS ?? 'snapshot,restore').split(',');
      // The headline is the portable single file (.tar.gz, streamed) with Secrets encrypted to an age identity
      // (DRYDOCK_SNAPSHOT_IDENTITY_FILE). A passphrase adds one fixed scrypt (~0.5 s, whatever the size); the
      // directory layout writes two files per object. Both are measured in the same runs.
      let snapCount = 0;
      const identity = await generateSnapshotIdentity();
      const snapTarget = (kind: string, run: number) =>
        path.join(env.tmp, `kube-snap-${kind}-${run < 0 ? 'w' : run}${kind === 'dir' ? '' : '.tar.gz'}`);
      const ourRunner = (kind: 'tgz' | 'pass' | 'dir') => ({
        run: async (run: number) => {
          const secrets = kind === 'pass' ? PASSPHRASE : { identity };
          const r = await measureInProcess(() =>
            createSnapshot({
              target: snapTarget(kind, run),
              kube: { client: kube, namespaces: [ns] },
              secrets,
              toolVersion: 'bench',
            }),
          );
          snapCount = r.value.manifest.counts.items;
          return r;
        },
        teardown: (run: number) => rm(snapTarget(kind, run), { recursive: true, force: true }),
      });
      if (parts.includes('snapshot')) {
        const snap = await compare(
          {
            ours: ourRunner('tgz'),
            bare: { run: () => measureInProcess(() => bareLists(kube, types, ns)) },
            kubectl: { run: () => kubectlGetLoop(types, ns, path.join(env.tmp, 'kubectl-get')) },
            oursPassphrase: ourRunner('pass'),
            oursDirectory: ourRunner('dir'),
          },
          // Sub-second runs on a 2-core machine shared with the API server: more of them, for a steadier median.
          { warmup: true, runs: Math.max(measuredRuns, 11), log },
        );
        const snapNote = `${snapCount} items captured (${MIX.configmaps} ConfigMaps, ${MIX.secrets} Secrets age-encrypted, ${MIX.services} Services, ${MIX.serviceaccounts} ServiceAccounts, ${MIX.roles} Roles, ${MIX.rolebindings} RoleBindings, ${MIX.deployments} Deployments with replicas 0, ${MIX.widgets} custom resources + namespace, CRD, defaults) from ${live} listed objects over ${types.length} types`;
        const what = `Snapshot ${TOTAL}-object namespace`;
        results.push(
          newResult({
            bench: 'kube',
            what: `${what} (.tar.gz, age identity)`,
            baseline: `kubectl get -o json loop (${types.length} types, sequential)`,
            ours: snap.ours,
            base: snap.kubectl,
            maxRatio: 1 / 3,
            target: '≥ 3× faster',
            notes: [snapNote],
          }),
          newResult({
            bench: 'kube',
            what: `${what} (.tar.gz, age identity)`,
            baseline: `bare listAll per type (${types.length} types, sequential)`,
            ours: snap.ours,
            base: snap.bare,
            maxRatio: 1.5,
            target: '≤ 1.5× bare lists',
            notes: [],
          }),
          newResult({
            bench: 'kube',
            what: `${what} (.tar.gz, passphrase)`,
            baseline: `kubectl get -o json loop (${types.length} types, sequential)`,
            ours: snap.oursPassphrase,
            base: snap.kubectl,
            maxRatio: 1 / 3,
            target: '≥ 3× faster',
            notes: [
              'the passphrase wraps the snapshot key with one age scrypt (work factor 2^18, about 0.5 s and 256 MB, fixed whatever the namespace size); it starts with the first Secret (Secrets are listed first) and runs on the thread pool while the capture goes on',
            ],
          }),
          newResult({
            bench: 'kube',
            what: `${what} (.tar.gz, passphrase)`,
            baseline: `bare listAll per type (${types.length} types, sequential)`,
            ours: snap.oursPassphrase,
            base: snap.bare,
            target: 'report only (fixed scrypt)',
            notes: [],
          }),
          newResult({
            bench: 'kube',
            what: `${what} (directory, age identity)`,
            baseline: `bare listAll per type (${types.length} types, sequential)`,
            ours: snap.oursDirectory,
            base: snap.bare,
            target: 'report only (2 files per object)',
            notes: [
              'Velero layout as a directory: every object is two files (its resource path and the preferred-version copy), so the time follows the disk',
            ],
          }),
        );
      }

      // --- restore ---
      // The headline restores the snapshot whose Secrets are sealed to an age identity (as the extension keeps
      // it, or DRYDOCK_SNAPSHOT_IDENTITY_FILE); the same namespace with a passphrase adds one fixed scrypt and is
      // measured beside it in the same rounds.
      const source = path.join(env.tmp, 'kube-restore-source');
      const sourcePassphrase = path.join(env.tmp, 'kube-restore-source-passphrase');
      for (const [dir, secrets] of [
        [source, { identity }],
        [sourcePassphrase, PASSPHRASE],
      ] as const)
        await createSnapshot({ target: dir, kube: { client: kube, namespaces: [ns] }, secrets, toolVersion: 'bench' });
      const identityKey = { identity };
      const target = (side: string, run: number) => `bench-kr-${id}-${side}${run < 0 ? 'w' : run}`;
      const yamlFile = path.join(env.tmp, 'kube-apply.yaml');
      let docs = 0;
      let restored = '';
      // The bare baseline at the best concurrency the API server allows: one run at each level, fastest kept.
      const prepare = (run: number | string) =>
        preparedObjects(
          source,
          identityKey,
          ns,
          target('b', typeof run === 'number' ? run : -2) + (typeof run === 'string' ? run : ''),
        );
      const sweep: Array<{ concurrency: number; seconds: number }> = [];
      for (const concurrency of [8, 16, 32, 64]) {
        const prepared = await prepare(`c${concurrency}`);
        const name = prepared.namespace ? (prepared.namespace.metadata as { name: string }).name : '';
        created.push(name);
        const r = await measureInProcess(() => bareCreates(kube, prepared, concurrency));
        sweep.push({ concurrency, seconds: r.seconds });
        log(`  bare creates at concurrency ${concurrency}: ${r.seconds.toFixed(2)} s (${r.value} objects)`);
        await deleteNamespace(kube, name, true);
      }
      const best = sweep.reduce((a, b) => (b.seconds < a.seconds ? b : a));
      let preparedForRun: Awaited<ReturnType<typeof preparedObjects>> | undefined;
      const ourRestore = (side: string, from: string, keySource: SecretKeySource) => ({
        setup: (run: number) => Promise.resolve(void created.push(target(side, run))),
        run: async (run: number) => {
          const r = await measureInProcess(() =>
            restoreSnapshot({
              source: from,
              keySource,
              kube: { client: kube, namespaceMap: new Map([[ns, target(side, run)]]) },
            }),
          );
          if (r.value.status !== 'ok')
            throw new Error(
              `restore ${r.value.status}: ${r.value.items
                .filter((i) => i.outcome === 'failed')
                .slice(0, 3)
                .map((i) => `${i.id}: ${i.message}`)
                .join('; ')}`,
            );
          restored = Object.entries(r.value.counts)
            .filter(([, n]) => n)
            .map(([k, n]) => `${n} ${k}`)
            .join(', ');
          return r;
        },
        teardown: (run: number) => deleteNamespace(kube, target(side, run), true),
      });
      const restore = await compare(
        {
          bare: {
            setup: async (run) => {
              created.push(target('b', run));
              preparedForRun = await prepare(run);
            },
            run: () => measureInProcess(() => bareCreates(kube, preparedForRun!, best.concurrency)),
            teardown: (run) => deleteNamespace(kube, target('b', run), true),
          },
          ours: ourRestore('o', source, identityKey),
          oursPassphrase: ourRestore('p', sourcePassphrase, PASSPHRASE),
        },
        { warmup: true, runs: measuredRuns, log },
      );
      // kubectl apply takes minutes: one run, beside one more of ours. Its discovery cache is warmed (untimed)
      // by `kubectl api-resources` instead of a whole warm-up apply.
      const viaKubectl = await compare(
        {
          ours: ourRestore('q', source, identityKey),
          kubectl: {
            setup: async (run) => {
              created.push(target('k', run));
              docs = await applyFile(source, identityKey, ns, target('k', run), yamlFile);
              await runChecked(kubectlPath, kubectlArgs('api-resources'), {
                stdoutFile: path.join(env.tmp, 'kubectl-api-resources.out'),
              });
            },
            run: (run) =>
              runChecked(kubectlPath, kubectlArgs('apply', '-f', yamlFile), {
                stdoutFile: path.join(env.tmp, `kubectl-apply-${run}.out`),
              }),
            teardown: (run) => deleteNamespace(kube, target('k', run), true),
          },
        },
        { warmup: false, runs: 1, log },
      );
      const what = `Restore ${TOTAL}-object namespace (fresh ns, age identity)`;
      results.push(
        newResult({
          bench: 'kube',
          what,
          baseline: 'kubectl apply -f (one multi-doc YAML, same sanitised objects)',
          ours: viaKubectl.ours,
          base: viaKubectl.kubectl,
          maxRatio: 1 / 5,
          target: '≥ 5× faster',
          notes: [
            `${docs} objects in the apply file; our restore: ${restored} (CRD and the namespace's default ServiceAccount already exist); one run each, back to back (ours warm from the rounds against the bare creates; kubectl's discovery cache warmed by kubectl api-resources)`,
          ],
        }),
        newResult({
          bench: 'kube',
          what,
          baseline: `bare creates: POST of the same sanitised objects, ${best.concurrency} in flight`,
          ours: restore.ours,
          base: restore.bare,
          maxRatio: 1.5,
          target: '≤ 1.5× bare creates',
          notes: [
            `concurrency sweep of the bare creates (one run each, fastest used): ${sweep.map((x) => `${x.concurrency}: ${x.seconds.toFixed(2)} s`).join(', ')}`,
            "ours opens the snapshot directory (every entry hashed against the manifest, its authenticator checked), plans and validates every item (read, decrypted, parsed) before the first write, then restores type by type in Velero's order, 32 items at a time (8 before 2026-12-07); the bare creates POST the already prepared objects in the same order with no barrier between types",
          ],
        }),
        newResult({
          bench: 'kube',
          what: `Restore ${TOTAL}-object namespace (fresh ns, passphrase)`,
          baseline: `bare creates: POST of the same sanitised objects, ${best.concurrency} in flight`,
          ours: restore.oursPassphrase,
          base: restore.bare,
          target: 'report only (fixed scrypt)',
          notes: [
            'the passphrase unwraps the snapshot key with one age scrypt (work factor 2^18, ~256 MB) before anything is read, whatever the namespace size',
          ],
        }),
      );
      return results;
    } finally {
      log('  cleaning up');
      for (const n of [ns, ...created])
        await deleteNamespace(kube, n, false).catch((e: unknown) => log(`  cleanup ${n}: ${(e as Error).message}`));
      for (const n of [ns, ...created])
        await deleteNamespace(kube, n, true).catch((e: unknown) => log(`  cleanup ${n}: ${(e as Error).message}`));
      await deleteCrd(kube, crd).catch((e: unknown) => log(`  cleanup CRD: ${(e as Error).message}`));
    }
  },
};

mainIf(module, bench);
