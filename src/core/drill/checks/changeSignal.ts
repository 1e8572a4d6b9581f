import type { KubeRawClient } from '../../kube/rawClient';

/**
 * Wakes a waiting loop when something changes in the watched lists, so readiness is re-checked as soon as a
 * Deployment, Pod or EndpointSlice moves instead of on a fixed clock. Each path is watched from the
 * resourceVersion of the list just read; a watch that ends or fails just stops waking (the caller's cap applies).
 */
export class ChangeSignal {
  private readonly abort = new AbortController();
  private waiter: (() => void) | undefined;
  private changed = false;

  constructor(
    kube: KubeRawClient,
    lists: ReadonlyArray<{ path: string; resourceVersion?: string }>,
    signal?: AbortSignal,
  ) {
    signal?.addEventListener('abort', () => this.close(), { once: true });
    for (const l of lists) void this.follow(kube, l.path, l.resourceVersion);
  }

  private async follow(kube: KubeRawClient, path: string, resourceVersion?: string): Promise<void> {
    try {
      for await (const event of kube.watch(path, { resourceVersion, signal: this.abort.signal, timeoutSeconds: 600 })) {
        if (event.type !== 'BOOKMARK') this.wake();
      }
    } catch {
      // Closed, or the server ended it: the caller's cap on each wait still holds.
    }
  }

  private wake(): void {
    this.changed = true;
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  /** Resolves at the next change (at once if one came since the last call), or after `maxMs`. */
  async next(maxMs: number): Promise<void> {
    if (!this.changed) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.waiter = undefined;
          resolve();
        }, maxMs);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    this.changed = false;
  }

  close(): void {
    this.abort.abort();
    this.wake();
  }
}
