/**
 * Calls `fire` once things have been quiet for `quietMs`, but no later than `maxWaitMs` after the
 * first `schedule()` of a burst — so a steady stream of changes still refreshes now and then.
 */
export class Debouncer {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private burstStart = 0;

  constructor(
    private readonly fire: () => void,
    private readonly quietMs: number,
    private readonly maxWaitMs = quietMs * 4,
  ) {}

  schedule(): void {
    const now = Date.now();
    if (this.timer === undefined) this.burstStart = now;
    else clearTimeout(this.timer);
    const delay = Math.max(0, Math.min(this.quietMs, this.burstStart + this.maxWaitMs - now));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.fire();
    }, delay);
  }

  get pending(): boolean {
    return this.timer !== undefined;
  }

  cancel(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
