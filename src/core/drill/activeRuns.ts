/**
 * Run ids of the drills this process is running now. Leftover cleanup never touches them, so two drills
 * started side by side in one VS Code window do not remove each other's targets.
 */
const running = new Set<string>();

export function markDrillRunning(runId: string): void {
  running.add(runId);
}

export function markDrillDone(runId: string): void {
  running.delete(runId);
}

export function runningDrills(): ReadonlySet<string> {
  return running;
}
