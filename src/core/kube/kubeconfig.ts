import { existsSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DrydockError } from '../errors';
import { contextLocality, primeHostLocality, type LocalReason } from '../guard/local';
import { KubeConfig, type Cluster, type Context, type User } from './clientNode';

/** One context of the merged kubeconfig, with why it counts as local (undefined: it does not). */
export interface KubeContextInfo {
  name: string;
  cluster: string;
  /** The API server URL, or '' when the context names a cluster the kubeconfig lacks. */
  server: string;
  namespace?: string;
  user: string;
  local: LocalReason | undefined;
  /** Why it counts as local or not, in words ("127.0.0.1 is a loopback address"). */
  why: string;
}

/** The kubeconfig files kubectl would read: explicit paths, else `KUBECONFIG`, else `~/.kube/config`. */
export function kubeconfigFiles(
  paths?: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  home = os.homedir(),
): { files: string[]; explicit: boolean } {
  const explicit = (paths ?? []).map((p) => p.trim()).filter(Boolean);
  if (explicit.length) return { files: unique(explicit.map((p) => expandHome(p, home))), explicit: true };
  const fromEnv = (env.KUBECONFIG ?? '').split(path.delimiter).filter(Boolean);
  if (fromEnv.length) return { files: unique(fromEnv.map((p) => expandHome(p, home))), explicit: false };
  return { files: [path.join(home, '.kube', 'config')], explicit: false };
}

/**
 * Loads and merges kubeconfig files exactly as kubectl does: the first file to define a cluster,
 * user or context name wins, and so does the first `current-context`. Files listed in `KUBECONFIG`
 * that do not exist are skipped (as kubectl skips them); explicit paths must exist.
 * Relative certificate paths are resolved against the file that names them.
 */
export function loadKubeConfig(
  paths?: string[],
  env: NodeJS.ProcessEnv = process.env,
  home = os.homedir(),
): KubeConfig {
  const { files, explicit } = kubeconfigFiles(paths, env, home);
  const clusters = new Map<string, Cluster>();
  const users = new Map<string, User>();
  const contexts = new Map<string, Context>();
  let currentContext = '';
  for (const file of files) {
    if (!existsSync(file)) {
      if (explicit)
        throw new DrydockError(
          'not-found',
          `Kubeconfig file ${file} does not exist. Check the drydock.kubeconfig setting.`,
        );
      continue;
    }
    const one = loadOneFile(file);
    if (!one) continue;
    for (const c of one.getClusters()) if (!clusters.has(c.name)) clusters.set(c.name, c);
    for (const u of one.getUsers()) if (!users.has(u.name)) users.set(u.name, u);
    for (const c of one.getContexts()) if (!contexts.has(c.name)) contexts.set(c.name, c);
    if (!currentContext && one.getCurrentContext()) currentContext = one.getCurrentContext();
  }
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [...clusters.values()],
    users: [...users.values()],
    contexts: [...contexts.values()],
    currentContext,
  });
  return kc;
}

/**
 * The contexts of a kubeconfig, each marked local or not by the guard in core/guard/local (host names count
 * once `primeHostLocality` has resolved them; see `primeKubeconfigServers`).
 */
export function listContexts(kc: KubeConfig, extraLocal: readonly string[] = []): KubeContextInfo[] {
  return kc.getContexts().map((ctx) => {
    const server = kc.getCluster(ctx.cluster)?.server ?? '';
    const { reason, why } = contextLocality(ctx.name, server || undefined, extraLocal);
    const info: KubeContextInfo = { name: ctx.name, cluster: ctx.cluster, server, user: ctx.user, local: reason, why };
    if (ctx.namespace) info.namespace = ctx.namespace;
    return info;
  });
}

/** A copy of `kc` whose current context is `contextName` (client-node authenticates the current context). */
export function kubeConfigForContext(kc: KubeConfig, contextName: string): KubeConfig {
  if (!kc.getContextObject(contextName)) {
    throw new DrydockError('not-found', `The kubeconfig has no context named "${contextName}".`);
  }
  const copy = new KubeConfig();
  copy.loadFromOptions({
    clusters: kc.getClusters(),
    users: kc.getUsers(),
    contexts: kc.getContexts(),
    currentContext: contextName,
  });
  return copy;
}

function loadOneFile(file: string): KubeConfig | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new DrydockError('invalid-input', `Cannot read kubeconfig file ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (!text.trim()) return undefined; // kubectl accepts an empty file
  const kc = new KubeConfig();
  try {
    // kubectl tolerates incomplete entries (a cluster without a server, …); so do we.
    kc.loadFromFile(file, { onInvalidEntry: 'filter' });
  } catch (error) {
    throw new DrydockError('invalid-input', `Kubeconfig file ${file} is not valid: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return kc;
}

function expandHome(p: string, home: string): string {
  return p === '~' || p.startsWith('~/') ? path.join(home, p.slice(1)) : p;
}

function unique(list: string[]): string[] {
  return [...new Set(list)];
}

/** Resolves the host names of every cluster server of the kubeconfig, for the local-only guard. */
export function primeKubeconfigServers(kc: KubeConfig): Promise<void> {
  return primeHostLocality(kc.getClusters().map((c) => c.server));
}
