// 16550A UART, as QEMU 7.2 virt maps it (reg-shift 0, one byte per register). Register semantics
// follow the NS/TI PC16550D datasheet; transmission is instant (THR write → onOutput at once).
import type { DeviceDescription, DeviceRegister, FdtContext, FdtNode, IrqLine, MmioDevice } from './device.ts';
import { node, reg64, str, u32, unitName } from '../board/fdt.ts';

/** QEMU 7.2 virt: UART0 is PLIC source 10 (UART0_IRQ). */
export const UART_DEFAULT_IRQ_SOURCE = 10;
/** QEMU 7.2 virt: `clock-frequency = 0x384000` (3.6864 MHz, the classic PC UART crystal). */
export const UART_CLOCK_HZ = 3686400;

// Register offsets. Offsets 0 and 1 are banked with the divisor latch when LCR.DLAB is set.
const RBR_THR_DLL = 0;
const IER_DLM = 1;
const IIR_FCR = 2;
const LCR = 3;
const MCR = 4;
const LSR = 5;
const MSR = 6;
const SCR = 7;

const IER_ERBFI = 0x01; // received data available
const IER_ETBEI = 0x02; // THR empty
const IER_ELSI = 0x04; // receiver line status
const IER_EDSSI = 0x08; // modem status
const IER_MASK = 0x0f;

// IIR interrupt identification, highest priority first.
const IIR_NONE = 0x01;
const IIR_RLS = 0x06;
const IIR_RDA = 0x04;
const IIR_CTI = 0x0c; // character timeout: FIFO holds data below the trigger level
const IIR_THRE = 0x02;
const IIR_MSI = 0x00;
const IIR_FIFOS_ENABLED = 0xc0;

const FCR_ENABLE = 0x01;
const FCR_CLEAR_RX = 0x02;
const FCR_TRIGGER_SHIFT = 6;
const RX_TRIGGER_LEVELS = [1, 4, 8, 14];
const FIFO_SIZE = 16;

const LCR_DLAB = 0x80;

const MCR_DTR = 0x01;
const MCR_RTS = 0x02;
const MCR_OUT1 = 0x04;
const MCR_OUT2 = 0x08;
const MCR_LOOP = 0x10;
const MCR_MASK = 0x1f;

const LSR_DR = 0x01;
const LSR_OE = 0x02;
const LSR_PE = 0x04;
const LSR_FE = 0x08;
const LSR_BI = 0x10;
const LSR_THRE = 0x20;
const LSR_TEMT = 0x40;

const MSR_DCTS = 0x01;
const MSR_DDSR = 0x02;
const MSR_TERI = 0x04;
const MSR_DDCD = 0x08;
const MSR_CTS = 0x10;
const MSR_DSR = 0x20;
const MSR_RI = 0x40;
const MSR_DCD = 0x80;
/** With no modem attached QEMU reports CTS, DSR and DCD asserted. */
const MSR_LINES_IDLE = MSR_CTS | MSR_DSR | MSR_DCD;

/** Host input waiting for the guest; beyond this much, further input is refused (not silently lost). */
const HOST_QUEUE_LIMIT = 1 << 20;

export interface Uart16550Options {
  name: string;
  irq: IrqLine;
  onOutput: (byte: number) => void;
  /** PLIC source number for the device tree (default: QEMU virt's 10). */
  irqSource?: number;
}

interface Uart16550State {
  ier: number;
  lcr: number;
  mcr: number;
  scr: number;
  dll: number;
  dlm: number;
  fifoEnabled: boolean;
  rxTrigger: number;
  lsrErrors: number;
  msrDelta: number;
  thrInterruptPending: boolean;
  rx: number[];
}

function flags(value: number, names: Array<[number, string]>): string {
  return names.filter(([bit]) => value & bit).map(([, n]) => n).join(' ');
}

export class Uart16550 implements MmioDevice {
  readonly name: string;
  private readonly irq: IrqLine;
  private readonly onOutput: (byte: number) => void;
  private readonly irqSource: number;

  private ier = 0;
  private lcr = 0;
  private mcr = MCR_OUT2; // QEMU's reset value
  private scr = 0;
  private dll = 0;
  private dlm = 0;
  private fifoEnabled = false;
  private rxTrigger = 1;
  private lsrErrors = 0; // OE/PE/FE/BI, cleared by reading LSR
  private msrDelta = 0; // DCTS/DDSR/TERI/DDCD, cleared by reading MSR
  /** "THR empty" interrupt latch: set when THR empties (or ETBEI is newly enabled), cleared by THR write or IIR read. */
  private thrInterruptPending = false;
  /**
   * Received bytes: the first min(length, FIFO capacity) are "in the FIFO"; the rest are host
   * input not yet delivered, fed in as the guest reads, so a long paste loses nothing.
   */
  private rx: number[] = [];
  private rxHead = 0;
  private irqLevel = false;

  constructor(opts: Uart16550Options) {
    this.name = opts.name;
    this.irq = opts.irq;
    this.onOutput = opts.onOutput;
    this.irqSource = opts.irqSource ?? UART_DEFAULT_IRQ_SOURCE;
  }

  /** Queue host input; returns how many bytes were accepted. */
  receive(bytes: Uint8Array | number[]): number {
    const room = Math.max(0, HOST_QUEUE_LIMIT - this.queued());
    const n = Math.min(room, bytes.length);
    for (let i = 0; i < n; i++) this.rx.push(bytes[i] & 0xff);
    this.updateIrq();
    return n;
  }

  /** Takes the next received byte outside the register interface (the SBI console's getchar), or -1. */
  takeByte(): number {
    return this.queued() === 0 ? -1 : this.readRbr();
  }

  /** Whether receive() would accept more input. */
  canReceive(): boolean {
    return this.queued() < HOST_QUEUE_LIMIT;
  }

  read(offset: number, _size: number): number {
    const dlab = (this.lcr & LCR_DLAB) !== 0;
    switch (offset) {
      case RBR_THR_DLL:
        return dlab ? this.dll : this.readRbr();
      case IER_DLM:
        return dlab ? this.dlm : this.ier;
      case IIR_FCR: {
        const cause = this.cause();
        if (cause === IIR_THRE) {
          this.thrInterruptPending = false;
          this.updateIrq();
        }
        return this.iirValue(cause);
      }
      case LCR:
        return this.lcr;
      case MCR:
        return this.mcr;
      case LSR: {
        const v = this.lsr();
        if (this.lsrErrors) {
          this.lsrErrors = 0;
          this.updateIrq();
        }
        return v;
      }
      case MSR: {
        const v = this.msr();
        if (this.msrDelta) {
          this.msrDelta = 0;
          this.updateIrq();
        }
        return v;
      }
      case SCR:
        return this.scr;
      default:
        return 0;
    }
  }

  write(offset: number, _size: number, value: number): void {
    const v = value & 0xff;
    const dlab = (this.lcr & LCR_DLAB) !== 0;
    switch (offset) {
      case RBR_THR_DLL:
        if (dlab) this.dll = v;
        else this.transmit(v);
        break;
      case IER_DLM:
        if (dlab) this.dlm = v;
        else this.writeIer(v & IER_MASK);
        break;
      case IIR_FCR:
        this.writeFcr(v);
        break;
      case LCR:
        this.lcr = v;
        break;
      case MCR:
        this.writeMcr(v & MCR_MASK);
        break;
      case SCR:
        this.scr = v;
        break;
      default:
        break; // LSR and MSR are read-only (QEMU ignores writes too)
    }
  }

  private queued(): number {
    return this.rx.length - this.rxHead;
  }

  private fifoCount(): number {
    return Math.min(this.queued(), this.fifoEnabled ? FIFO_SIZE : 1);
  }

  /** Drop the first `n` received bytes, compacting the array now and then. */
  private dropRx(n: number): void {
    this.rxHead += n;
    if (this.rxHead > 4096 && this.rxHead * 2 > this.rx.length) {
      this.rx = this.rx.slice(this.rxHead);
      this.rxHead = 0;
    }
  }

  private readRbr(): number {
    if (this.queued() === 0) return 0;
    const b = this.rx[this.rxHead];
    this.dropRx(1);
    this.updateIrq();
    return b;
  }

  private transmit(byte: number): void {
    this.thrInterruptPending = false; // writing THR clears the THRE interrupt…
    if (this.mcr & MCR_LOOP) {
      // Loopback: the byte arrives at the receiver; a full FIFO overruns. (A FIFO that is not
      // full has no host input queued behind it, so appending puts the byte right after it.)
      if (this.queued() >= (this.fifoEnabled ? FIFO_SIZE : 1)) this.lsrErrors |= LSR_OE;
      else this.rx.push(byte);
    } else {
      this.onOutput(byte);
    }
    this.thrInterruptPending = true; // …and the instant transmission empties THR again
    this.updateIrq();
  }

  private writeIer(v: number): void {
    const newlyEnabled = v & ~this.ier;
    this.ier = v;
    // A 16550 raises THRE when ETBEI is enabled while THR is already empty (it always is here).
    if (newlyEnabled & IER_ETBEI) this.thrInterruptPending = true;
    this.updateIrq();
  }

  private writeFcr(v: number): void {
    const enable = (v & FCR_ENABLE) !== 0;
    // Changing the FIFO enable clears the FIFOs, as does the explicit RX clear bit.
    if (enable !== this.fifoEnabled || (v & FCR_CLEAR_RX)) this.dropRx(this.fifoCount());
    this.fifoEnabled = enable;
    this.rxTrigger = RX_TRIGGER_LEVELS[(v >> FCR_TRIGGER_SHIFT) & 3];
    // Clearing the TX FIFO needs nothing: transmission is instant, so it is always empty.
    this.updateIrq();
  }

  private writeMcr(v: number): void {
    const before = this.modemLines();
    this.mcr = v;
    const after = this.modemLines();
    const changed = before ^ after;
    if (changed & MSR_CTS) this.msrDelta |= MSR_DCTS;
    if (changed & MSR_DSR) this.msrDelta |= MSR_DDSR;
    if (changed & MSR_DCD) this.msrDelta |= MSR_DDCD;
    if (before & ~after & MSR_RI) this.msrDelta |= MSR_TERI; // trailing edge of RI
    this.updateIrq();
  }

  /** MSR's upper four bits: in loopback they mirror MCR (DTR→DSR, RTS→CTS, OUT1→RI, OUT2→DCD). */
  private modemLines(): number {
    if (!(this.mcr & MCR_LOOP)) return MSR_LINES_IDLE;
    const m = this.mcr;
    return (
      (m & MCR_RTS ? MSR_CTS : 0) | (m & MCR_DTR ? MSR_DSR : 0) | (m & MCR_OUT1 ? MSR_RI : 0) | (m & MCR_OUT2 ? MSR_DCD : 0)
    );
  }

  private lsr(): number {
    return (this.queued() > 0 ? LSR_DR : 0) | this.lsrErrors | LSR_THRE | LSR_TEMT;
  }

  private msr(): number {
    return this.modemLines() | this.msrDelta;
  }

  /** The highest-priority enabled interrupt cause (IIR bits 3:0), or IIR_NONE. */
  private cause(): number {
    if (this.ier & IER_ELSI && this.lsrErrors) return IIR_RLS;
    const count = this.fifoCount();
    if (this.ier & IER_ERBFI && count > 0) {
      // The character timeout would fire after four idle character times; we report it at once.
      return !this.fifoEnabled || count >= this.rxTrigger ? IIR_RDA : IIR_CTI;
    }
    if (this.ier & IER_ETBEI && this.thrInterruptPending) return IIR_THRE;
    if (this.ier & IER_EDSSI && this.msrDelta) return IIR_MSI;
    return IIR_NONE;
  }

  private iirValue(cause: number): number {
    return cause | (this.fifoEnabled ? IIR_FIFOS_ENABLED : 0);
  }

  /** The interrupt line follows "any cause pending" (QEMU does not gate it with MCR.OUT2). */
  private updateIrq(force = false): void {
    const level = this.cause() !== IIR_NONE;
    if (level !== this.irqLevel || force) {
      this.irqLevel = level;
      this.irq.set(level);
    }
  }

  describe(): DeviceDescription {
    const divisor = (this.dlm << 8) | this.dll;
    const lcr = this.lcr;
    const wordBits = 5 + (lcr & 3);
    const stopBits = lcr & 4 ? (wordBits === 5 ? '1.5' : '2') : '1';
    const parity = !(lcr & 0x08) ? 'N' : lcr & 0x20 ? (lcr & 0x10 ? 'space' : 'mark') : lcr & 0x10 ? 'E' : 'O';
    const cause = this.cause();
    const causeNames: Record<number, string> = {
      [IIR_NONE]: 'no interrupt',
      [IIR_RLS]: 'receiver line status',
      [IIR_RDA]: 'received data available',
      [IIR_CTI]: 'character timeout',
      [IIR_THRE]: 'THR empty',
      [IIR_MSI]: 'modem status',
    };
    const regs: DeviceRegister[] = [
      {
        name: 'RBR',
        offset: RBR_THR_DLL,
        size: 1,
        value: this.queued() ? this.rx[this.rxHead] : 0,
        detail: this.queued() ? `next byte; ${this.fifoCount()} in FIFO, ${this.queued()} queued in all` : 'empty',
      },
      {
        name: 'IER',
        offset: IER_DLM,
        size: 1,
        value: this.ier,
        detail: flags(this.ier, [[IER_ERBFI, 'ERBFI'], [IER_ETBEI, 'ETBEI'], [IER_ELSI, 'ELSI'], [IER_EDSSI, 'EDSSI']]),
      },
      { name: 'IIR', offset: IIR_FCR, size: 1, value: this.iirValue(cause), detail: causeNames[cause] },
      {
        name: 'FCR',
        offset: IIR_FCR,
        size: 1,
        value: (this.fifoEnabled ? FCR_ENABLE : 0) | (RX_TRIGGER_LEVELS.indexOf(this.rxTrigger) << FCR_TRIGGER_SHIFT),
        detail: this.fifoEnabled ? `FIFOs on, RX trigger ${this.rxTrigger}` : 'FIFOs off',
      },
      {
        name: 'LCR',
        offset: LCR,
        size: 1,
        value: lcr,
        detail: `${wordBits}${parity}${stopBits}${lcr & 0x40 ? ' break' : ''}${lcr & LCR_DLAB ? ' DLAB' : ''}`,
      },
      {
        name: 'MCR',
        offset: MCR,
        size: 1,
        value: this.mcr,
        detail: flags(this.mcr, [[MCR_DTR, 'DTR'], [MCR_RTS, 'RTS'], [MCR_OUT1, 'OUT1'], [MCR_OUT2, 'OUT2'], [MCR_LOOP, 'LOOP']]),
      },
      {
        name: 'LSR',
        offset: LSR,
        size: 1,
        value: this.lsr(),
        detail: flags(this.lsr(), [[LSR_DR, 'DR'], [LSR_OE, 'OE'], [LSR_PE, 'PE'], [LSR_FE, 'FE'], [LSR_BI, 'BI'], [LSR_THRE, 'THRE'], [LSR_TEMT, 'TEMT']]),
      },
      {
        name: 'MSR',
        offset: MSR,
        size: 1,
        value: this.msr(),
        detail: flags(this.msr(), [[MSR_DCTS, 'DCTS'], [MSR_DDSR, 'DDSR'], [MSR_TERI, 'TERI'], [MSR_DDCD, 'DDCD'], [MSR_CTS, 'CTS'], [MSR_DSR, 'DSR'], [MSR_RI, 'RI'], [MSR_DCD, 'DCD']]),
      },
      { name: 'SCR', offset: SCR, size: 1, value: this.scr },
      { name: 'DLL', offset: RBR_THR_DLL, size: 1, value: this.dll, detail: 'divisor latch low (DLAB=1)' },
      {
        name: 'DLM',
        offset: IER_DLM,
        size: 1,
        value: this.dlm,
        detail: divisor ? `divisor ${divisor} → ${Math.round(UART_CLOCK_HZ / (16 * divisor))} baud` : 'divisor 0',
      },
      { name: 'IRQ', value: this.irqLevel ? 1 : 0, detail: this.irqLevel ? 'asserted' : 'idle' },
    ];
    return { name: this.name, kind: '16550A UART', registers: regs };
  }

  fdtNode(base: number, size: number, ctx: FdtContext): FdtNode {
    return node(unitName('serial', base), {
      compatible: str('ns16550a'),
      reg: reg64(base, size),
      'clock-frequency': u32(UART_CLOCK_HZ),
      interrupts: u32(this.irqSource),
      'interrupt-parent': u32(ctx.plicPhandle),
    });
  }

  saveState(): Uart16550State {
    return {
      ier: this.ier,
      lcr: this.lcr,
      mcr: this.mcr,
      scr: this.scr,
      dll: this.dll,
      dlm: this.dlm,
      fifoEnabled: this.fifoEnabled,
      rxTrigger: this.rxTrigger,
      lsrErrors: this.lsrErrors,
      msrDelta: this.msrDelta,
      thrInterruptPending: this.thrInterruptPending,
      rx: this.rx.slice(this.rxHead),
    };
  }

  loadState(state: unknown): void {
    const s = state as Uart16550State;
    this.ier = s.ier;
    this.lcr = s.lcr;
    this.mcr = s.mcr;
    this.scr = s.scr;
    this.dll = s.dll;
    this.dlm = s.dlm;
    this.fifoEnabled = s.fifoEnabled;
    this.rxTrigger = s.rxTrigger;
    this.lsrErrors = s.lsrErrors;
    this.msrDelta = s.msrDelta;
    this.thrInterruptPending = s.thrInterruptPending;
    this.rx = s.rx.slice();
    this.rxHead = 0;
    this.updateIrq(true);
  }
}
