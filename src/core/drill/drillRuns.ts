/**
 * The drills one process is running now. Leftover cleanup never touches them, so two drills started side by
 * side (one VS Code window, one CLI process) do not remove each other's targets. The composition root (the
 * extension, the CLI) makes one and hands it to every drill it starts; nothing here is global.
 */
export class DrillRuns {
  private readonly running = new Set<string>();

  add(runId: string): void {
    this.running.add(runId);
  }

  delete(runId: string): void {
    this.running.delete(runId);
  }

  ids(): ReadonlySet<string> {
    return this.running;
  }
}
