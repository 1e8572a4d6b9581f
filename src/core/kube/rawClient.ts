import * as http from 'node:http';
import * as https from 'node:https';
import { createInterface } from 'node:readline';
import { DrydockError } from '../errors';
import type { KubeConfig } from './clientNode';
import { KubeApiError } from './kubeApiError';
import { kubeConfigForContext } from './kubeconfig';
import { ioTimeouts, seconds } from '../io/timeouts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions {
  /** Defaults to `application/json`; for PATCH, `application/merge-patch+json`. Name the patch strategy you mean. */
  contentType?: string;
  /** Defaults to `application/json`. */
  accept?: string;
  signal?: AbortSignal;
  query?: Record<string, string>;
  /** Milliseconds without an answer before the request counts as unreachable. Default 30 s (`DRYDOCK_IO_TIMEOUT_MS`). */
  timeoutMs?: number;
}

/** A list response: its raw items (which carry no kind/apiVersion of their own) and where it was read. */
export interface RawList {
  apiVersion: string;
  /** e.g. `DeploymentList`. */
  kind: string;
  resourceVersion: string;
  items: unknown[];
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

/** One watch event with the object exactly as the server sent it. */
export interface WatchEvent {
  type: WatchEventType;
  object: Record<string, unknown>;
}

export interface WatchOptions {
  /** Start after this resourceVersion (from a list); without it the server first replays every object as ADDED. */
  resourceVersion?: string;
  signal?: AbortSignal;
  /** The server ends the watch after this many seconds (default 300); watch again from the last resourceVersion. */
  timeoutSeconds?: number;
  query?: Record<string, string>;
}

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
  'EPIPE',
]);

/**
 * Talks to one context's API server and returns JSON exactly as the server sent it — never
 * client-node's typed models, which drop unknown fields and turn timestamps into Dates.
 * Authentication (CA, client certificates, tokens, exec plugins) comes from the kubeconfig
 * through client-node's `applyToHTTPSOptions`.
 */
export class KubeRawClient {
  readonly contextName: string;
  /** The API server URL, e.g. `https://127.0.0.1:6443` (may carry a path prefix). */
  readonly server: string;
  private readonly kc: KubeConfig;
  private agent: https.Agent | undefined;

  constructor(kc: KubeConfig, contextName?: string) {
    const name = contextName ?? kc.getCurrentContext();
    if (!name)
      throw new DrydockError('invalid-input', 'The kubeconfig has no current context; name the context to use.');
    this.kc = kubeConfigForContext(kc, name);
    this.contextName = name;
    const server = this.kc.getCurrentCluster()?.server;
    if (!server)
      throw new DrydockError(
        'invalid-input',
        `Context "${name}" names a cluster with no server URL in the kubeconfig.`,
      );
    this.server = server.replace(/\/+$/, '');
  }

  /** One request; the parsed JSON body (undefined when empty). Failures: KubeApiError, or DrydockError 'unreachable'/'cancelled'. */
  async request<T = unknown>(method: HttpMethod, path: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
    const res = await this.send(method, path, body, opts);
    const text = await readBody(res, opts.signal, this.describe(method, path), (error) =>
      this.bodyError(res, error, method, path),
    );
    if ((res.statusCode ?? 0) >= 400)
      throw KubeApiError.fromResponse(res.statusCode ?? 0, text, this.describe(method, path));
    if (!text) return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      throw new DrydockError(
        'failed',
        `The API server at ${this.server} sent a response that is not JSON for ${method} ${path}.`,
        { cause: error },
      );
    }
  }

  /** A whole list, following continue tokens. */
  async list(
    path: string,
    opts: { signal?: AbortSignal; pageSize?: number; query?: Record<string, string> } = {},
  ): Promise<RawList> {
    const items: unknown[] = [];
    let first: { apiVersion?: string; kind?: string; metadata?: { resourceVersion?: string } } | undefined;
    for await (const page of this.pages(path, opts)) {
      first ??= page;
      items.push(...page.items);
    }
    return {
      apiVersion: first?.apiVersion ?? '',
      kind: first?.kind ?? '',
      resourceVersion: first?.metadata?.resourceVersion ?? '',
      items,
    };
  }

  /** Every item of a list, page by page (continue tokens followed), as the server sent them. */
  async *listAll(
    path: string,
    opts: { signal?: AbortSignal; pageSize?: number; query?: Record<string, string> } = {},
  ): AsyncIterable<unknown> {
    for await (const page of this.pages(path, opts)) yield* page.items;
  }

  /**
   * Watches `path` (a list path) and yields events until the server ends the watch, the signal
   * aborts (then it just ends), or an error: an ERROR event becomes a KubeApiError — 410 Gone
   * means the resourceVersion is too old: list again and watch from the new one.
   */
  async *watch(path: string, opts: WatchOptions = {}): AsyncIterable<WatchEvent> {
    const query: Record<string, string> = {
      ...opts.query,
      watch: '1',
      allowWatchBookmarks: 'true',
      timeoutSeconds: String(opts.timeoutSeconds ?? 300),
    };
    if (opts.resourceVersion) query.resourceVersion = opts.resourceVersion;
    let res: http.IncomingMessage;
    try {
      res = await this.send('GET', path, undefined, { signal: opts.signal, query, timeoutMs: 0 });
    } catch (error) {
      if (opts.signal?.aborted) return;
      throw error;
    }
    if ((res.statusCode ?? 0) >= 400) {
      throw KubeApiError.fromResponse(
        res.statusCode ?? 0,
        await readBody(res, opts.signal, this.describe('GET', path), (error) =>
          this.bodyError(res, error, 'GET', path),
        ),
        this.describe('WATCH', path),
      );
    }
    const lines = createInterface({ input: res, crlfDelay: Infinity });
    // readline waits for 'end', which a destroyed or broken-off response never emits: close it on 'close'.
    const onAbort = () => res.destroy();
    res.once('close', () => lines.close());
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      for await (const line of lines) {
        if (!line.trim()) continue;
        const event = JSON.parse(line) as { type: string; object: Record<string, unknown> };
        if (event.type === 'ERROR') {
          const status = event.object as { code?: number };
          throw KubeApiError.fromResponse(
            status.code ?? 500,
            JSON.stringify(event.object),
            this.describe('WATCH', path),
          );
        }
        yield event as WatchEvent;
      }
    } catch (error) {
      if (opts.signal?.aborted) return;
      if (error instanceof DrydockError) throw error;
      throw this.networkError(error, 'WATCH', path);
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
      lines.close();
      res.destroy();
    }
  }

  private async *pages(
    path: string,
    opts: { signal?: AbortSignal; pageSize?: number; query?: Record<string, string> },
  ) {
    let token: string | undefined;
    do {
      const query: Record<string, string> = { ...opts.query, limit: String(opts.pageSize ?? 500) };
      if (token) query.continue = token;
      const page = await this.request<{
        apiVersion?: string;
        kind?: string;
        metadata?: { continue?: string; resourceVersion?: string };
        items?: unknown[];
      }>('GET', path, undefined, { signal: opts.signal, query });
      yield { ...page, items: page?.items ?? [] };
      token = page?.metadata?.continue || undefined;
    } while (token);
  }

  private async send(
    method: HttpMethod,
    path: string,
    body: unknown,
    opts: RequestOptions,
  ): Promise<http.IncomingMessage> {
    if (opts.signal?.aborted) throw cancelled(method, path);
    const url = new URL(this.server + (path.startsWith('/') ? path : `/${path}`));
    for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, v);
    const options: https.RequestOptions = { method, headers: { Accept: opts.accept ?? 'application/json' } };
    try {
      await this.kc.applyToHTTPSOptions(options);
    } catch (error) {
      throw new DrydockError(
        'invalid-input',
        `Cannot use the credentials of context "${this.contextName}": ${(error as Error).message}`,
        { cause: error },
      );
    }
    if (url.protocol === 'https:') options.agent = this.keepAliveAgent(options.agent);
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const headers = options.headers as http.OutgoingHttpHeaders;
    if (payload !== undefined) {
      headers['Content-Type'] =
        opts.contentType ?? (method === 'PATCH' ? 'application/merge-patch+json' : 'application/json');
      headers['Content-Length'] = Buffer.byteLength(payload);
    }
    const transport = url.protocol === 'http:' ? http : https;
    return new Promise((resolve, reject) => {
      // The bound also covers the body: a server that stops mid-response (frozen) is "not answering" too.
      let timedOut: Error | undefined;
      const req = transport.request(url, { ...options, signal: opts.signal }, (res) =>
        resolve(Object.assign(res, { [TIMED_OUT]: () => timedOut })),
      );
      const timeoutMs = opts.timeoutMs ?? ioTimeouts().requestMs;
      if (timeoutMs > 0) {
        req.setTimeout(timeoutMs, () => {
          timedOut = Object.assign(new Error(`no answer within ${seconds(timeoutMs)}`), {
            code: 'ETIMEDOUT',
            drydockTimeout: true,
          });
          req.destroy(timedOut);
        });
      }
      req.on('error', (error) =>
        reject(opts.signal?.aborted ? cancelled(method, path) : this.networkError(error, method, path)),
      );
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  /**
   * client-node builds a new Agent (keep-alive off) for every request: a TLS handshake each time. The first
   * one's TLS settings (CA, client certificate, server name) are kept in one keep-alive agent instead;
   * tokens stay in the per-request headers, so refreshed credentials still apply.
   */
  private keepAliveAgent(perRequest: https.RequestOptions['agent']): https.Agent | undefined {
    if (!(perRequest instanceof https.Agent)) return undefined;
    this.agent ??= new https.Agent({
      ...(perRequest as https.Agent & { options: https.AgentOptions }).options,
      keepAlive: true,
    });
    return this.agent;
  }

  /** Why a response body did not arrive whole: the bound ran out, the connection went, or it broke off. */
  private bodyError(res: http.IncomingMessage, error: Error | undefined, method: string, path: string): DrydockError {
    const timedOut = (res as TimedResponse)[TIMED_OUT]?.();
    if (timedOut) return this.networkError(timedOut, method, path);
    if (error && UNREACHABLE_CODES.has((error as { code?: string }).code ?? '') && error.message !== 'aborted')
      return this.networkError(error, method, path);
    if (error?.message === 'aborted' || !error)
      return new DrydockError(
        'unreachable',
        `The Kubernetes API server ${this.server} (context "${this.contextName}") broke off its answer to ${method} ${path}. Is the cluster running?`,
        { cause: error },
      );
    return new DrydockError('failed', `${this.describe(method, path)}: the response broke off: ${error.message}`, {
      cause: error,
    });
  }

  private networkError(error: unknown, method: string, path: string): DrydockError {
    const code = (error as { code?: string }).code ?? '';
    const detail = (error as Error).message ?? String(error);
    if ((error as { drydockTimeout?: boolean }).drydockTimeout) {
      return new DrydockError(
        'unreachable',
        `The Kubernetes API server ${this.server} (context "${this.contextName}") did not answer ${method} ${path}: ${detail}. Is the cluster running (not paused)?`,
        { cause: error },
      );
    }
    if (UNREACHABLE_CODES.has(code)) {
      return new DrydockError(
        'unreachable',
        `Cannot reach the Kubernetes API server ${this.server} (context "${this.contextName}"): ${detail}. Is the cluster running?`,
        { cause: error },
      );
    }
    if (/CERT|SELF_SIGNED|TLS|SSL/i.test(code) || /certificate/i.test(detail)) {
      return new DrydockError(
        'failed',
        `TLS handshake with ${this.server} (context "${this.contextName}") failed: ${detail}. Check the cluster's certificate-authority in the kubeconfig.`,
        { cause: error },
      );
    }
    return new DrydockError('failed', `${this.describe(method, path)} failed: ${detail}`, { cause: error });
  }

  private describe(method: string, path: string): string {
    return `${method} ${path} on context "${this.contextName}"`;
  }
}

function cancelled(method: string, path: string): DrydockError {
  return new DrydockError('cancelled', `${method} ${path} was cancelled.`);
}

const TIMED_OUT = Symbol('drydockTimedOut');
/** A response whose request knows whether its time bound ran out. */
type TimedResponse = http.IncomingMessage & { [TIMED_OUT]?: () => Error | undefined };

function readBody(
  res: http.IncomingMessage,
  signal: AbortSignal | undefined,
  what: string,
  brokeOff: (error: Error | undefined) => DrydockError,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const fail = (error: Error | undefined) =>
      reject(signal?.aborted ? new DrydockError('cancelled', `${what} was cancelled.`) : brokeOff(error));
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', (error) => fail(error));
    res.on('aborted', () => fail(undefined));
  });
}
