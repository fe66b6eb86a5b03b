import type { Schedule } from '../../src/spotify/device-player.ts';

/** Timers that run only when a test says so: `await timers.runDue()` runs what is scheduled now. */
export class ManualSchedule {
  private pending: { fn: () => Promise<void>; ms: number }[] = [];

  readonly schedule: Schedule = (fn, ms) => {
    const entry = { fn, ms };
    this.pending.push(entry);
    return () => {
      this.pending = this.pending.filter((e) => e !== entry);
    };
  };

  /** How many runs wait, and after how long each asked to run. */
  get waiting(): number[] {
    return this.pending.map((e) => e.ms);
  }

  /** Runs every scheduled function once (not the ones they schedule) and waits for them. */
  async runDue(): Promise<void> {
    const due = this.pending;
    this.pending = [];
    await Promise.all(due.map((e) => e.fn()));
  }
}
