// Google goldfish RTC (Android emulator's RTC, as QEMU 7.2 virt has it): a nanosecond wall clock
// with one alarm. Time runs on the machine's virtual clock, so deterministic runs stay deterministic.
import type { Clock, DeviceDescription, FdtContext, FdtNode, IrqLine, MmioDevice, TimerSource } from './device.ts';
import { node, reg64, str, u32, unitName } from '../board/fdt.ts';

/** QEMU 7.2 virt: the RTC is PLIC source 11 (RTC_IRQ). */
export const RTC_DEFAULT_IRQ_SOURCE = 11;
/** The virtual clock runs at the 10 MHz timebase (QEMU virt timebase-frequency): 100 ns a tick. */
const NS_PER_TICK = 100n;

const TIME_LOW = 0x00; // reading it latches TIME_HIGH
const TIME_HIGH = 0x04;
const ALARM_LOW = 0x08; // writing it arms the alarm
const ALARM_HIGH = 0x0c;
const IRQ_ENABLED = 0x10;
const CLEAR_ALARM = 0x14;
const ALARM_STATUS = 0x18;
const CLEAR_INTERRUPT = 0x1c;

const MASK64 = (1n << 64n) - 1n;
const LOW32 = 0xffffffffn;

export interface GoldfishRtcOptions {
  name: string;
  clock: Clock;
  irq: IrqLine;
  /** Time (ns since the Unix epoch) at the moment of construction. */
  epochNs: bigint;
  /** PLIC source number for the device tree (default: QEMU virt's 11). */
  irqSource?: number;
}

interface GoldfishRtcState {
  offsetNs: string;
  timeHighLatch: number;
  alarmNs: string;
  alarmRunning: boolean;
  irqEnabled: boolean;
  irqPending: boolean;
}

export class GoldfishRtc implements MmioDevice, TimerSource {
  readonly name: string;
  private readonly clock: Clock;
  private readonly irq: IrqLine;
  private readonly irqSource: number;

  /** time = clock.now() * 100 ns + offsetNs (mod 2^64). */
  private offsetNs: bigint;
  private timeHighLatch = 0;
  private alarmNs = 0n;
  private alarmRunning = false;
  private irqEnabled = false;
  private irqPending = false;
  private irqLevel = false;

  constructor(opts: GoldfishRtcOptions) {
    this.name = opts.name;
    this.clock = opts.clock;
    this.irq = opts.irq;
    this.irqSource = opts.irqSource ?? RTC_DEFAULT_IRQ_SOURCE;
    this.offsetNs = opts.epochNs - BigInt(opts.clock.now()) * NS_PER_TICK;
  }

  /** Current time in nanoseconds since the epoch. */
  timeNs(): bigint {
    return (BigInt(this.clock.now()) * NS_PER_TICK + this.offsetNs) & MASK64;
  }

  read(offset: number, _size: number): number {
    switch (offset) {
      case TIME_LOW: {
        const t = this.timeNs();
        this.timeHighLatch = Number(t >> 32n);
        return Number(t & LOW32);
      }
      case TIME_HIGH:
        return this.timeHighLatch;
      case ALARM_LOW:
        return Number(this.alarmNs & LOW32);
      case ALARM_HIGH:
        return Number(this.alarmNs >> 32n);
      case IRQ_ENABLED:
        return this.irqEnabled ? 1 : 0;
      case ALARM_STATUS:
        return this.alarmRunning ? 1 : 0;
      default:
        return 0;
    }
  }

  write(offset: number, _size: number, value: number): void {
    const v = BigInt(value >>> 0);
    switch (offset) {
      case TIME_LOW:
      case TIME_HIGH: {
        // Replace one half of the current time, keeping the other (Linux writes HIGH, then LOW).
        const cur = this.timeNs();
        const next = offset === TIME_LOW ? (cur & ~LOW32 & MASK64) | v : (v << 32n) | (cur & LOW32);
        this.offsetNs += next - cur;
        break;
      }
      case ALARM_LOW:
        this.alarmNs = (this.alarmNs & ~LOW32 & MASK64) | v;
        this.armAlarm();
        break;
      case ALARM_HIGH:
        this.alarmNs = (v << 32n) | (this.alarmNs & LOW32);
        break;
      case IRQ_ENABLED:
        this.irqEnabled = (value & 1) !== 0;
        break;
      case CLEAR_ALARM:
        this.alarmRunning = false;
        break;
      case CLEAR_INTERRUPT:
        this.irqPending = false;
        break;
      default:
        return;
    }
    this.updateIrq();
  }

  /** An alarm already in the past fires at once; otherwise it waits for nextDeadline(). */
  private armAlarm(): void {
    this.alarmRunning = true;
    this.tick();
  }

  nextDeadline(): number {
    if (!this.alarmRunning) return Infinity;
    const ns = this.alarmNs - this.offsetNs; // virtual-clock time of the alarm, in ns
    if (ns <= 0n) return 0;
    const ticks = (ns + NS_PER_TICK - 1n) / NS_PER_TICK; // first tick at or after it
    return ticks > BigInt(Number.MAX_SAFE_INTEGER) ? Infinity : Number(ticks);
  }

  tick(): void {
    if (this.alarmRunning && this.timeNs() >= this.alarmNs) {
      this.alarmRunning = false;
      this.irqPending = true;
      this.updateIrq();
    }
  }

  private updateIrq(force = false): void {
    const level = this.irqPending && this.irqEnabled;
    if (level !== this.irqLevel || force) {
      this.irqLevel = level;
      this.irq.set(level);
    }
  }

  describe(): DeviceDescription {
    const t = this.timeNs();
    const iso = (ns: bigint): string => {
      const d = new Date(Number(ns / 1000000n));
      return Number.isNaN(d.getTime()) ? 'out of range' : d.toISOString();
    };
    return {
      name: this.name,
      kind: 'Goldfish RTC',
      registers: [
        { name: 'TIME', offset: TIME_LOW, size: 8, value: t, detail: iso(t) },
        { name: 'TIME_HIGH latch', offset: TIME_HIGH, size: 4, value: this.timeHighLatch },
        {
          name: 'ALARM',
          offset: ALARM_LOW,
          size: 8,
          value: this.alarmNs,
          detail: this.alarmRunning ? `armed for ${iso(this.alarmNs)}` : 'not armed',
        },
        { name: 'IRQ_ENABLED', offset: IRQ_ENABLED, size: 4, value: this.irqEnabled ? 1 : 0 },
        { name: 'ALARM_STATUS', offset: ALARM_STATUS, size: 4, value: this.alarmRunning ? 1 : 0, detail: this.alarmRunning ? 'running' : 'idle' },
        { name: 'interrupt', value: this.irqPending ? 1 : 0, detail: `${this.irqPending ? 'pending' : 'none'}; line ${this.irqLevel ? 'high' : 'low'}` },
      ],
    };
  }

  fdtNode(base: number, size: number, ctx: FdtContext): FdtNode {
    return node(unitName('rtc', base), {
      compatible: str('google,goldfish-rtc'),
      reg: reg64(base, size),
      interrupts: u32(this.irqSource),
      'interrupt-parent': u32(ctx.plicPhandle),
    });
  }

  saveState(): GoldfishRtcState {
    return {
      offsetNs: this.offsetNs.toString(),
      timeHighLatch: this.timeHighLatch,
      alarmNs: this.alarmNs.toString(),
      alarmRunning: this.alarmRunning,
      irqEnabled: this.irqEnabled,
      irqPending: this.irqPending,
    };
  }

  /** A reset stops the alarm; the time keeps running (it is battery-backed). */
  reset(): void {
    this.timeHighLatch = 0;
    this.alarmNs = 0n;
    this.alarmRunning = false;
    this.irqEnabled = false;
    this.irqPending = false;
    this.updateIrq(true);
  }

  loadState(state: unknown): void {
    const s = state as GoldfishRtcState;
    this.offsetNs = BigInt(s.offsetNs);
    this.timeHighLatch = s.timeHighLatch;
    this.alarmNs = BigInt(s.alarmNs);
    this.alarmRunning = s.alarmRunning;
    this.irqEnabled = s.irqEnabled;
    this.irqPending = s.irqPending;
    this.updateIrq(true);
  }
}
