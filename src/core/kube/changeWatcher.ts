import { describeError, DrydockError } from '../errors';
import type { Logger } from '../log';
import { Debouncer } from './debouncer';
import { qualifiedResource, resourcePath, type ApiResourceType } from './discovery';
import { KubeApiError } from './kubeApiError';
import type { KubeRawClient } from './rawClient';

/** Something of `resource` changed, in `namespace` (undefined: cluster-scoped, or anywhere — after a missed stretch). */
export interface ResourceChange {
  resource: string;
  namespace: string | undefined;
}

export interface ChangeWatcherOptions {
  logger: Logger;
  /** Quiet time before changes are reported together. Default 750 ms. */
  debounceMs?: number;
  /** At most this many watches at once; the oldest is dropped first. Default 64. */
  maxWatches?: number;
}

/**
 * Watches resource types of one cluster (each across all namespaces, from the current resourceVersion)
 * and reports what changed, debounced and coalesced. Reconnects with backoff; after a gap
 * (an error, or 410 Gone) it reports the whole type as changed, since events may have been missed.
 */
export class ClusterChangeWatcher {
  private readonly watches = new Map<string, AbortController>();
  private readonly pending = new Map<string, ResourceChange>();
  private readonly debouncer: Debouncer;
  private disposed = false;

  constructor(
    private readonly client: KubeRawClient,
    private readonly onChanges: (changes: ResourceChange[]) => void,
    private readonly opts: ChangeWatcherOptions,
  ) {
    this.debouncer = new Debouncer(() => this.flush(), opts.debounceMs ?? 750);
  }

  /** Starts watching a type unless already watching it. Types without the `watch` verb are ignored. */
  watch(type: ApiResourceType): void {
    const key = qualifiedResource(type);
    if (this.disposed || this.watches.has(key) || !type.verbs.includes('watch')) return;
    const max = this.opts.maxWatches ?? 64;
    while (this.watches.size >= max) {
      const [oldest, controller] = this.watches.entries().next().value as [string, AbortController];
      controller.abort();
      this.watches.delete(oldest);
    }
    const controller = new AbortController();
    this.watches.set(key, controller);
    void this.run(type, key, controller.signal);
  }

  /** Resource types (`deployments.apps`) being watched now. */
  get watching(): string[] {
    return [...this.watches.keys()];
  }

  dispose(): void {
    this.disposed = true;
    this.debouncer.cancel();
    for (const c of this.watches.values()) c.abort();
    this.watches.clear();
  }

  private async run(type: ApiResourceType, key: string, signal: AbortSignal): Promise<void> {
    const path = resourcePath(type);
    let resourceVersion: string | undefined;
    let backoffMs = 1000;
    let gap = false;
    while (!signal.aborted) {
      try {
        if (!resourceVersion) {
          const page = await this.client.request<{ metadata?: { resourceVersion?: string } }>('GET', path, undefined, {
            signal,
            query: { limit: '1' },
          });
          resourceVersion = page?.metadata?.resourceVersion;
          if (gap) this.add({ resource: key, namespace: undefined });
          gap = false;
        }
        for await (const event of this.client.watch(path, { resourceVersion, signal })) {
          const metadata = (event.object.metadata ?? {}) as { resourceVersion?: string; namespace?: string };
          if (metadata.resourceVersion) resourceVersion = metadata.resourceVersion;
          if (event.type !== 'BOOKMARK') this.add({ resource: key, namespace: metadata.namespace });
        }
        backoffMs = 1000;
      } catch (error) {
        if (signal.aborted || DrydockError.is(error, 'cancelled')) return;
        if (KubeApiError.is(error) && error.statusCode === 410) {
          resourceVersion = undefined;
          gap = true;
          continue;
        }
        if (
          KubeApiError.is(error) &&
          (error.statusCode === 404 || error.statusCode === 403 || error.statusCode === 405)
        ) {
          this.opts.logger.debug(
            `Stopped watching ${key} on context "${this.client.contextName}": ${describeError(error)}`,
          );
          this.watches.delete(key);
          return;
        }
        this.opts.logger.warn(
          `Watch of ${key} on context "${this.client.contextName}" broke off; retrying in ${backoffMs / 1000} s: ${describeError(error)}`,
        );
        resourceVersion = undefined;
        gap = true;
        await sleep(backoffMs, signal);
        backoffMs = Math.min(backoffMs * 2, 30_000);
      }
    }
  }

  private add(change: ResourceChange): void {
    this.pending.set(`${change.resource}|${change.namespace ?? ''}`, change);
    this.debouncer.schedule();
  }

  private flush(): void {
    const changes = [...this.pending.values()];
    this.pending.clear();
    if (changes.length && !this.disposed) this.onChanges(changes);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
