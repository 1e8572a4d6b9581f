// Browser-side helpers shared by the webviews. Everything shown is built with DOM APIs and
// textContent: no HTML strings, so nothing from AWS can turn into markup or script.
import type { HostReply } from '../../protocol/requests';

declare function acquireVsCodeApi(): {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
};

export interface HostChannel<TOut> {
  /** Sends a request; returns its id, which the host's replies to it carry as `requestId`. */
  post(message: TOut): number;
}

let api: ReturnType<typeof acquireVsCodeApi> | undefined;
let lastRequestId = 0;

/** The channel to the extension host (acquired once per page, as VS Code requires). Every request is numbered. */
export function hostChannel<TOut>(): HostChannel<TOut> {
  api ??= acquireVsCodeApi();
  const a = api;
  return {
    post: (m) => {
      const requestId = ++lastRequestId;
      a.postMessage({ ...(m as object), requestId });
      return requestId;
    },
  };
}

/**
 * Keeps what this page must show again after a window reload (VS Code hands it to the panel serializer).
 * Only small descriptors go here (which endpoint, which queue/table/object): never data or secrets.
 */
export function saveState(state: unknown): void {
  api ??= acquireVsCodeApi();
  api.setState(state);
}

/**
 * Calls `handle` for each message from the extension host that has a string `type`; anything else that
 * arrives on the window is ignored. The handler switches on the type exhaustively; a reply carries the
 * `requestId` of the request it answers (a malformed id is dropped, so the reply counts as unsolicited).
 */
export function onHostMessage<T extends { type: string }>(handle: (message: HostReply<T>) => void): void {
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const m = event.data;
    if (typeof m !== 'object' || m === null || typeof (m as { type?: unknown }).type !== 'string') return;
    const id = (m as { requestId?: unknown }).requestId;
    if (id !== undefined && !(typeof id === 'number' && Number.isSafeInteger(id) && id > 0)) {
      const { requestId: _dropped, ...rest } = m as { requestId?: unknown };
      handle(rest as HostReply<T>);
      return;
    }
    handle(m as HostReply<T>);
  });
}

/**
 * The requests a page has sent and not yet seen the end of, by id, each with what started it (a row, a form).
 * Replies are routed by their `requestId` to exactly that origin; `finish` takes a request off the list when its
 * `done` or `error` arrives.
 */
export class PendingRequests<Origin> {
  private readonly byId = new Map<number, Origin>();

  start(id: number, origin: Origin): void {
    this.byId.set(id, origin);
  }

  /** What started the request `id` answers, while it is pending. */
  originOf(id: number | undefined): Origin | undefined {
    return id === undefined ? undefined : this.byId.get(id);
  }

  /** Ends request `id`; returns what started it (undefined for an unknown or unnumbered reply). */
  finish(id: number | undefined): Origin | undefined {
    if (id === undefined) return undefined;
    const origin = this.byId.get(id);
    this.byId.delete(id);
    return origin;
  }

  /** Whether some pending request's origin matches. */
  some(match: (origin: Origin) => boolean): boolean {
    for (const o of this.byId.values()) if (match(o)) return true;
    return false;
  }
}

/** A row's own request state: a request in flight, or how the last one ended. */
export interface RowState {
  state: 'busy' | 'error' | 'info';
  text: string;
}

/**
 * Request states of the rows of a list, by a key that survives re-rendering (a message id, an item's key). Each
 * row shows its own in its `[data-testid="row-status"]` element and `aria-busy`; `onRender` adds what else a row
 * shows (a disabled button).
 */
export class RowStates {
  private readonly byKey = new Map<string, RowState>();

  constructor(
    private readonly findRow: (key: string) => HTMLElement | undefined,
    private readonly onRender: (row: HTMLElement, state: RowState | undefined) => void = () => {},
  ) {}

  get(key: string): RowState | undefined {
    return this.byKey.get(key);
  }

  /** Sets (or with undefined, clears) a row's state and shows it. */
  set(key: string, state: RowState | undefined): void {
    if (state) this.byKey.set(key, state);
    else this.byKey.delete(key);
    this.render(key);
  }

  /** Rows that left the list drop their finished states (one still busy keeps it until its reply). */
  keepOnly(keys: ReadonlySet<string>): void {
    for (const [key, s] of [...this.byKey]) if (!keys.has(key) && s.state !== 'busy') this.byKey.delete(key);
  }

  /** Shows every state again (after the list was rendered anew). */
  renderAll(): void {
    for (const key of this.byKey.keys()) this.render(key);
  }

  private render(key: string): void {
    const row = this.findRow(key);
    if (!row) return;
    const s = this.byKey.get(key);
    const badge = row.querySelector<HTMLElement>('[data-testid="row-status"]');
    if (badge) {
      badge.textContent = s?.text ?? '';
      badge.className = `row-status ${s?.state ?? ''}`;
      badge.hidden = !s;
      badge.setAttribute('role', s?.state === 'error' ? 'alert' : 'status');
    }
    row.setAttribute('aria-busy', s?.state === 'busy' ? 'true' : 'false');
    this.onRender(row, s);
  }
}

type Attrs = Record<string, string | number | boolean | undefined | ((e: Event) => void)>;
type Child = Node | string | number | undefined | null | false;

/** Creates an element: attributes are set with setAttribute / properties, `on*` become listeners, children are nodes or text. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(name.replace(/^on/, '').toLowerCase(), value);
    else if (name === 'value' && 'value' in el) (el as HTMLInputElement).value = String(value);
    else if (name === 'checked' && 'checked' in el) (el as HTMLInputElement).checked = Boolean(value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, ...children);
  return el;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    parent.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

/** Shows `message` in a status element with a severity class; empty text hides it. */
export function setStatus(el: HTMLElement, message: string, severity: 'info' | 'error' | 'busy' = 'info'): void {
  el.textContent = message;
  el.className = `status ${severity}`;
  el.hidden = message === '';
  el.setAttribute('role', severity === 'error' ? 'alert' : 'status');
}

/** A JSON value as nested, collapsible <details>; strings and numbers as text. */
export function jsonTree(value: unknown, label?: string, open = true): HTMLElement {
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value)
      ? value.map((v, i) => [String(i), v] as const)
      : Object.entries(value as Record<string, unknown>);
    const summary = h(
      'summary',
      {},
      label !== undefined ? h('span', { class: 'json-key' }, label, ': ') : null,
      Array.isArray(value) ? `[${entries.length}]` : `{${entries.length}}`,
    );
    const details = h('details', { class: 'json', open }, summary);
    for (const [k, v] of entries) details.appendChild(jsonTree(v, k, false));
    return details;
  }
  return h(
    'div',
    { class: 'json-leaf' },
    label !== undefined ? h('span', { class: 'json-key' }, label, ': ') : null,
    h('span', { class: `json-${value === null ? 'null' : typeof value}` }, JSON.stringify(value)),
  );
}

export function formatTime(ms: number | undefined): string {
  if (ms === undefined) return '';
  const d = new Date(ms);
  return isNaN(d.getTime()) ? '' : d.toISOString().replace('T', ' ').slice(0, 19) + ' UTC';
}
