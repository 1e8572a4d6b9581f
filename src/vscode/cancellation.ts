import type * as vscode from 'vscode';
import { setMaxListeners } from 'node:events';

/**
 * The one adapter from VS Code's CancellationToken to the engine's AbortSignal: runs `work` with a signal
 * that aborts when the token is cancelled (or already was), and lets go of the token afterwards. Every
 * request of a long operation may listen on the one signal, so its listener limit is lifted.
 */
export async function withAbortSignal<T>(
  token: vscode.CancellationToken,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  if (token.isCancellationRequested) controller.abort();
  const subscription = token.onCancellationRequested(() => controller.abort());
  try {
    return await work(controller.signal);
  } finally {
    subscription.dispose();
  }
}
