// SiFive PLIC as QEMU 7.2 virt configures it (register map of the RISC-V PLIC specification).
// Contexts: 2h = hart h M-mode (drives MEIP), 2h+1 = hart h S-mode (drives SEIP).
import type {
  DeviceDescription,
  DeviceRegister,
  FdtContext,
  FdtNode,
  HartInterruptSink,
  IrqLine,
  MmioDevice,
} from './device.ts';
import { MIP_MEIP, MIP_SEIP } from './device.ts';
import { empty, node, reg64, strs, u32, unitName } from '../board/fdt.ts';

/** QEMU 7.2 virt: VIRT_IRQCHIP_NUM_SOURCES = 96, i.e. source ids 1..95 (id 0 means "none"). */
export const PLIC_NUM_SOURCES = 96;
/** QEMU 7.2 writes `riscv,ndev = <0x60>` (VIRT_IRQCHIP_NUM_SOURCES itself; see its dump). */
const PLIC_FDT_NDEV = 0x60;
/** QEMU 7.2 virt: VIRT_IRQCHIP_NUM_PRIO_BITS = 3; priority and threshold are WARL, masked to 0..7. */
const PRIORITY_MASK = 7;
const WORDS = Math.ceil(PLIC_NUM_SOURCES / 32); // 32-bit words of pending / enable bits

// Register map (RISC-V PLIC spec; QEMU virt VIRT_PLIC_* constants).
const PRIORITY_BASE = 0x0; // + 4 * source
const PENDING_BASE = 0x1000; // bit per source
const ENABLE_BASE = 0x2000; // + 0x80 * context, bit per source
const ENABLE_STRIDE = 0x80;
const CONTEXT_BASE = 0x200000; // + 0x1000 * context: threshold at +0, claim/complete at +4
const CONTEXT_STRIDE = 0x1000;
const CLAIM_OFFSET = 4;

/** interrupts-extended cause numbers: M-mode and S-mode external interrupt. */
const IRQ_M_EXT = 11;
const IRQ_S_EXT = 9;

export interface PlicOptions {
  name: string;
  numHarts: number;
  sink: HartInterruptSink;
}

interface PlicState {
  priority: number[];
  level: number[];
  pending: number[];
  inFlight: number[];
  enable: number[];
  threshold: number[];
}

const hasBit = (words: Uint32Array, src: number, base = 0): boolean => ((words[base + (src >>> 5)] >>> (src & 31)) & 1) !== 0;
const setBit = (words: Uint32Array, src: number, on: boolean): void => {
  if (on) words[src >>> 5] |= 1 << (src & 31);
  else words[src >>> 5] &= ~(1 << (src & 31));
};

/** Source ids whose bits are set. */
function bitList(words: Uint32Array, base = 0): number[] {
  const out: number[] = [];
  for (let src = 1; src < PLIC_NUM_SOURCES; src++) if (hasBit(words, src, base)) out.push(src);
  return out;
}

export class Plic implements MmioDevice {
  readonly name: string;
  private readonly numHarts: number;
  private readonly numContexts: number;
  private readonly sink: HartInterruptSink;

  private readonly priority = new Uint8Array(PLIC_NUM_SOURCES);
  /** Current input level of each source line. */
  private readonly level = new Uint32Array(WORDS);
  /** Gateway output: a request waiting to be claimed. */
  private readonly pending = new Uint32Array(WORDS);
  /** Claimed but not yet completed: the gateway forwards no new request meanwhile. */
  private readonly inFlight = new Uint32Array(WORDS);
  private readonly enable: Uint32Array; // WORDS per context
  private readonly threshold: Uint8Array;
  /** Last level driven into each context's MEIP/SEIP. */
  private readonly eip: boolean[];

  constructor(opts: PlicOptions) {
    this.name = opts.name;
    this.numHarts = opts.numHarts;
    this.numContexts = 2 * opts.numHarts;
    this.sink = opts.sink;
    this.enable = new Uint32Array(WORDS * this.numContexts);
    this.threshold = new Uint8Array(this.numContexts);
    this.eip = new Array<boolean>(this.numContexts).fill(false);
  }

  /** The interrupt line of `source` (1..95), for a device to drive. */
  irqLine(source: number): IrqLine {
    if (!Number.isInteger(source) || source < 1 || source >= PLIC_NUM_SOURCES) {
      throw new RangeError(`PLIC source ${source} out of range 1..${PLIC_NUM_SOURCES - 1}`);
    }
    return { set: (lvl: boolean) => this.setLevel(source, lvl) };
  }

  /** Told when an interrupt line changes level (for the event stream). */
  onLine: ((source: number, level: boolean) => void) | undefined;

  private setLevel(src: number, lvl: boolean): void {
    if (this.onLine && hasBit(this.level, src) !== lvl) this.onLine(src, lvl);
    setBit(this.level, src, lvl);
    // A request withdrawn before it is claimed is dropped (as QEMU does): no spurious claims.
    if (!hasBit(this.inFlight, src)) setBit(this.pending, src, lvl);
    this.update();
  }

  read(offset: number, size: number): number {
    if (size !== 4 || offset & 3) return 0; // the PLIC has only 32-bit registers
    if (offset < PENDING_BASE) {
      const src = (offset - PRIORITY_BASE) >>> 2;
      return src < PLIC_NUM_SOURCES ? this.priority[src] : 0;
    }
    if (offset < ENABLE_BASE) {
      const word = (offset - PENDING_BASE) >>> 2;
      return word < WORDS ? this.pending[word] : 0;
    }
    if (offset < CONTEXT_BASE) {
      const ctx = Math.floor((offset - ENABLE_BASE) / ENABLE_STRIDE);
      const word = ((offset - ENABLE_BASE) % ENABLE_STRIDE) >>> 2;
      return ctx < this.numContexts && word < WORDS ? this.enable[ctx * WORDS + word] : 0;
    }
    const ctx = Math.floor((offset - CONTEXT_BASE) / CONTEXT_STRIDE);
    if (ctx >= this.numContexts) return 0;
    const reg = (offset - CONTEXT_BASE) % CONTEXT_STRIDE;
    if (reg === 0) return this.threshold[ctx];
    if (reg === CLAIM_OFFSET) return this.claim(ctx);
    return 0;
  }

  write(offset: number, size: number, value: number): void {
    if (size !== 4 || offset & 3) return;
    if (offset < PENDING_BASE) {
      const src = (offset - PRIORITY_BASE) >>> 2;
      if (src >= 1 && src < PLIC_NUM_SOURCES) this.priority[src] = value & PRIORITY_MASK;
    } else if (offset < ENABLE_BASE) {
      // Pending bits are read-only.
      return;
    } else if (offset < CONTEXT_BASE) {
      const ctx = Math.floor((offset - ENABLE_BASE) / ENABLE_STRIDE);
      const word = ((offset - ENABLE_BASE) % ENABLE_STRIDE) >>> 2;
      if (ctx >= this.numContexts || word >= WORDS) return;
      this.enable[ctx * WORDS + word] = word === 0 ? value & ~1 : value; // source 0 does not exist
    } else {
      const ctx = Math.floor((offset - CONTEXT_BASE) / CONTEXT_STRIDE);
      if (ctx >= this.numContexts) return;
      const reg = (offset - CONTEXT_BASE) % CONTEXT_STRIDE;
      if (reg === 0) this.threshold[ctx] = value & PRIORITY_MASK;
      else if (reg === CLAIM_OFFSET) this.complete(ctx, value >>> 0);
      else return;
    }
    this.update();
  }

  /**
   * The source a claim by `ctx` would return: highest priority among pending, enabled, non-zero
   * priority sources, lowest id on ties. The threshold does not affect claims (PLIC spec).
   */
  private bestSource(ctx: number): number {
    let best = 0;
    let bestPriority = 0;
    for (let w = 0; w < WORDS; w++) {
      let bits = this.pending[w] & this.enable[ctx * WORDS + w];
      while (bits) {
        const bit = 31 - Math.clz32(bits & -bits); // lowest set bit first: ids ascend
        bits &= bits - 1;
        const src = w * 32 + bit;
        if (this.priority[src] > bestPriority) {
          best = src;
          bestPriority = this.priority[src];
        }
      }
    }
    return best;
  }

  private claim(ctx: number): number {
    const src = this.bestSource(ctx);
    if (src) {
      setBit(this.pending, src, false);
      setBit(this.inFlight, src, true);
      this.update();
    }
    return src;
  }

  /** Completion for a source not enabled in this context is ignored (PLIC spec). */
  private complete(ctx: number, src: number): void {
    if (src < 1 || src >= PLIC_NUM_SOURCES || !hasBit(this.enable, src, ctx * WORDS) || !hasBit(this.inFlight, src)) return;
    setBit(this.inFlight, src, false);
    // The gateway forwards the line again if it is still asserted.
    if (hasBit(this.level, src)) setBit(this.pending, src, true);
  }

  /** Whether `ctx` has a pending, enabled source with priority above its threshold. */
  private contextWants(ctx: number): boolean {
    const src = this.bestSource(ctx);
    return src !== 0 && this.priority[src] > this.threshold[ctx];
  }

  /** Drive MEIP/SEIP wherever the result changed (or everywhere, after loading state). */
  private update(force = false): void {
    for (let ctx = 0; ctx < this.numContexts; ctx++) {
      const want = this.contextWants(ctx);
      if (want !== this.eip[ctx] || force) {
        this.eip[ctx] = want;
        this.sink.setPending(ctx >> 1, ctx & 1 ? MIP_SEIP : MIP_MEIP, want);
      }
    }
  }

  describe(): DeviceDescription {
    const registers: DeviceRegister[] = [];
    for (let src = 1; src < PLIC_NUM_SOURCES; src++) {
      if (this.priority[src] || hasBit(this.level, src) || hasBit(this.inFlight, src)) {
        const state = [
          hasBit(this.level, src) ? 'line high' : 'line low',
          hasBit(this.pending, src) ? 'pending' : '',
          hasBit(this.inFlight, src) ? 'claimed' : '',
        ].filter((s) => s);
        registers.push({ name: `priority[${src}]`, offset: PRIORITY_BASE + 4 * src, size: 4, value: this.priority[src], detail: state.join(', ') });
      }
    }
    for (let w = 0; w < WORDS; w++) {
      const ids = bitList(this.pending).filter((s) => s >>> 5 === w);
      registers.push({ name: `pending[${w}]`, offset: PENDING_BASE + 4 * w, size: 4, value: this.pending[w], detail: ids.length ? `sources ${ids.join(' ')}` : 'none' });
    }
    const children: DeviceDescription[] = [];
    for (let ctx = 0; ctx < this.numContexts; ctx++) {
      const regs: DeviceRegister[] = [];
      for (let w = 0; w < WORDS; w++) {
        const ids = bitList(this.enable, ctx * WORDS).filter((s) => s >>> 5 === w);
        regs.push({ name: `enable[${w}]`, offset: ENABLE_BASE + ENABLE_STRIDE * ctx + 4 * w, size: 4, value: this.enable[ctx * WORDS + w], detail: ids.length ? `sources ${ids.join(' ')}` : 'none' });
      }
      const best = this.bestSource(ctx);
      regs.push({ name: 'threshold', offset: CONTEXT_BASE + CONTEXT_STRIDE * ctx, size: 4, value: this.threshold[ctx] });
      regs.push({ name: 'claim', offset: CONTEXT_BASE + CONTEXT_STRIDE * ctx + CLAIM_OFFSET, size: 4, value: best, detail: best ? `would claim source ${best}` : 'nothing to claim' });
      regs.push({ name: ctx & 1 ? 'SEIP' : 'MEIP', value: this.eip[ctx] ? 1 : 0, detail: this.eip[ctx] ? 'asserted' : 'idle' });
      children.push({ name: `context ${ctx} (hart ${ctx >> 1} ${ctx & 1 ? 'S' : 'M'}-mode)`, kind: 'PLIC context', registers: regs });
    }
    return { name: this.name, kind: 'SiFive PLIC', registers, children };
  }

  fdtNode(base: number, size: number, ctx: FdtContext): FdtNode {
    const targets: number[] = [];
    for (let h = 0; h < this.numHarts; h++) targets.push(ctx.cpuIntcPhandles[h], IRQ_M_EXT, ctx.cpuIntcPhandles[h], IRQ_S_EXT);
    return node(unitName('plic', base), {
      '#interrupt-cells': u32(1),
      '#address-cells': u32(0),
      compatible: strs('sifive,plic-1.0.0', 'riscv,plic0'),
      'interrupt-controller': empty,
      'interrupts-extended': u32(...targets),
      reg: reg64(base, size),
      'riscv,ndev': u32(PLIC_FDT_NDEV),
      phandle: u32(ctx.plicPhandle),
    });
  }

  saveState(): PlicState {
    return {
      priority: Array.from(this.priority),
      level: Array.from(this.level),
      pending: Array.from(this.pending),
      inFlight: Array.from(this.inFlight),
      enable: Array.from(this.enable),
      threshold: Array.from(this.threshold),
    };
  }

  loadState(state: unknown): void {
    const s = state as PlicState;
    this.priority.set(s.priority);
    this.level.set(s.level);
    this.pending.set(s.pending);
    this.inFlight.set(s.inFlight);
    this.enable.set(s.enable);
    this.threshold.set(s.threshold);
    this.update(true);
  }
}
