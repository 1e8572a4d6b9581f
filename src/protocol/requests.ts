/**
 * Request ids across every webview protocol: the webview numbers each message it sends (`requestId`, from
 * `hostChannel().post`), and the host's replies to it carry the same id, so two concurrent requests of one
 * kind are told apart. Types only.
 */
export type Numbered<M> = M & { requestId?: number };

/**
 * A message from the host as the webview receives it: a reply to a request carries that request's id
 * (`requestId`); a message the host sends on its own (none today outside a request) has none. A webview routes
 * `done`/`error`/results by this id to what started the request (a row, a form), never by the message's type.
 */
export type HostReply<M> = M & { readonly requestId?: number };
