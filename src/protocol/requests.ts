/**
 * Request ids across every webview protocol: the webview numbers each message it sends (`requestId`, from
 * `hostChannel().post`), and the host's replies to it carry the same id, so two concurrent requests of one
 * kind are told apart. Types only.
 */
export type Numbered<M> = M & { requestId?: number };
