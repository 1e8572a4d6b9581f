// No `vscode` import here: the browser controllers run under plain Node in tests, with a recording UI.

/** What a browser controller needs from the editor around it. */
export interface BrowserUi {
  /** A modal confirmation; true when the person chose `action`. */
  confirm(message: string, detail: string, action: string): Promise<boolean>;
  /** A choice among options; undefined when dismissed. */
  pick(title: string, options: readonly string[]): Promise<string | undefined>;
  /** A save dialog; the chosen path, or undefined. */
  saveFile(defaultName: string, filters?: Record<string, string[]>): Promise<string | undefined>;
  /** Runs a long task with progress and a Cancel button wired to `signal`. */
  withProgress<T>(
    title: string,
    task: (signal: AbortSignal, report: (message: string, increment?: number) => void) => Promise<T>,
  ): Promise<T>;
  /** Why writes are not allowed here (untrusted workspace, non-local endpoint), or undefined when they are. */
  writeBlockedReason(): string | undefined;
}
