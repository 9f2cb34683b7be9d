// Idling in real time (MachineConfig.idle = 'realtime'): when every hart waits for a timer, the host
// sleeps until that timer's time has passed on the host's clock, or until input wakes the guest
// first; either way virtual time moves on by the host time that passed.

import { NS_PER_STEP, type Machine } from '../engine/machine.ts';

export class IdleWaiter {
  private timer: NodeJS.Timeout | undefined;
  private since = 0;
  private fromSteps = 0;

  constructor(private readonly m: Machine, private readonly resume: () => void) {}

  get waiting(): boolean {
    return this.timer !== undefined;
  }

  /** Sleeps until the guest's timer at `untilSteps` is due on the host's clock, then resumes. */
  wait(untilSteps: number): void {
    this.since = performance.now();
    this.fromSteps = this.m.vtime;
    const ms = ((untilSteps - this.m.vtime) * NS_PER_STEP) / 1e6;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.m.idleUntil(untilSteps);
      this.resume();
    }, Math.max(0, Math.min(ms, 2 ** 31 - 1)));
  }

  /** Input arrived while waiting: time moves on by what passed, and the guest runs now. */
  wake(): void {
    if (this.timer === undefined) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.m.idleUntil(this.fromSteps + ((performance.now() - this.since) * 1e6) / NS_PER_STEP);
    this.resume();
  }

  cancel(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
