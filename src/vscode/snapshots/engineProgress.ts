import * as vscode from 'vscode';
import type { ProgressEvent } from '../../core/snapshot';
import { withAbortSignal } from '../cancellation';

/**
 * Runs an engine operation under a cancellable notification: the CancellationToken becomes an
 * AbortSignal, the engine's progress events become progress messages.
 */
export function withEngineProgress<T>(
  title: string,
  work: (signal: AbortSignal, progress: (event: ProgressEvent) => void) => Promise<T>,
): Thenable<T> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    (progress, token) => {
      let last = 0;
      const report = (e: ProgressEvent) => {
        const now = Date.now();
        if (now - last < 100 && e.done !== e.total) return;
        last = now;
        const counts = e.total ? ` (${e.done ?? 0}/${e.total})` : e.done ? ` (${e.done})` : '';
        progress.report({ message: `${e.message}${counts}` });
      };
      return withAbortSignal(token, (signal) => work(signal, report));
    },
  );
}
