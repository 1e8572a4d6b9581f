/**
 * The drills one process is running now. Leftover cleanup never touches them, so two drills started side by
 * side (one VS Code window, one CLI process) do not remove each other's targets. The composition root (the
 * extension, the CLI) makes one and hands it to every drill it starts; nothing here is global.
 */
export class DrillRuns {
  private readonly running = new Set<string>();
  /** Drills whose report is out and whose target is still being removed. */
  private readonly cleanups = new Map<string, Promise<void>>();

  add(runId: string): void {
    this.running.add(runId);
  }

  /** The drill has ended; it stays running while its target is being removed in the background. */
  delete(runId: string): void {
    if (!this.cleanups.has(runId)) this.running.delete(runId);
  }

  /** Removal of a finished drill's target, off the drill's critical path; the run id stays among the running ones until it ends. */
  cleaningUp(runId: string, work: Promise<void>): void {
    this.running.add(runId);
    const tracked = work
      .catch(() => undefined)
      .finally(() => {
        this.cleanups.delete(runId);
        this.running.delete(runId);
      });
    this.cleanups.set(runId, tracked);
  }

  /** Resolves when every background cleanup started so far has ended (a CLI waits for it before exiting). */
  async settled(): Promise<void> {
    while (this.cleanups.size) await Promise.all([...this.cleanups.values()]);
  }

  ids(): ReadonlySet<string> {
    return this.running;
  }
}
