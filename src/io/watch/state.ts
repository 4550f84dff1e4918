// What every part of the watcher shares: why a round runs, and timers that close() cuts short
// so that no round is left waiting.
export type DeriveReason = 'start' | 'change' | 'flush';

export class Sleeper {
  private readonly sleepers = new Set<() => void>();
  private stopped = false;

  sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      if (this.stopped) return resolve();
      const done = (): void => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleepers.add(done);
    });
  }

  /** Every sleep, now and later, returns at once. */
  wakeAll(): void {
    this.stopped = true;
    for (const wake of [...this.sleepers]) wake();
  }
}
