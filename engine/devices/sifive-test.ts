// SiFive test finisher / syscon, as on QEMU 7.2 virt: a write to offset 0 powers the machine off
// (pass or fail with an exit code) or resets it. Linux reaches it through the syscon-poweroff and
// syscon-reboot nodes, which reference this node's phandle (passed to the constructor).
import type { DeviceDescription, FdtNode, MmioDevice } from './device.ts';
import { node, reg64, strs, str, u32, unitName } from '../board/fdt.ts';

// Status codes in the low 16 bits of a write to offset 0 (QEMU hw/misc/sifive_test.h).
const FINISHER_FAIL = 0x3333; // exit code in the high 16 bits
const FINISHER_PASS = 0x5555;
const FINISHER_RESET = 0x7777;
const FINISHER_REG = 0x0;

export interface SifiveTestOptions {
  name: string;
  /** This node's phandle, referenced by the poweroff/reboot nodes (see sysconPowerNodes). */
  phandle: number;
  onPowerOff: (exitCode: number) => void;
  onReset: () => void;
}

interface SifiveTestState {
  lastWrite: number;
}

function finisherDetail(v: number): string {
  switch (v & 0xffff) {
    case FINISHER_PASS:
      return 'pass (power off, exit 0)';
    case FINISHER_FAIL:
      return `fail (power off, exit ${v >>> 16})`;
    case FINISHER_RESET:
      return 'reset';
    default:
      return 'write 0x5555 pass, 0x3333 | code << 16 fail, 0x7777 reset';
  }
}

export class SifiveTest implements MmioDevice {
  readonly name: string;
  readonly phandle: number;
  private readonly onPowerOff: (exitCode: number) => void;
  private readonly onReset: () => void;
  /** Last value written to the finisher register, for the debugger (reads return 0, as QEMU). */
  private lastWrite = 0;

  constructor(opts: SifiveTestOptions) {
    this.name = opts.name;
    this.phandle = opts.phandle;
    this.onPowerOff = opts.onPowerOff;
    this.onReset = opts.onReset;
  }

  read(_offset: number, _size: number): number {
    return 0;
  }

  write(offset: number, _size: number, value: number): void {
    if (offset !== FINISHER_REG) return;
    this.lastWrite = value >>> 0;
    const status = value & 0xffff;
    if (status === FINISHER_PASS) this.onPowerOff(0);
    else if (status === FINISHER_FAIL) this.onPowerOff(value >>> 16);
    else if (status === FINISHER_RESET) this.onReset();
    // Any other status is ignored (QEMU logs it as a guest error).
  }

  describe(): DeviceDescription {
    return {
      name: this.name,
      kind: 'SiFive test finisher',
      registers: [{ name: 'finisher (last write)', offset: FINISHER_REG, size: 4, value: this.lastWrite, detail: finisherDetail(this.lastWrite) }],
    };
  }

  fdtNode(base: number, size: number): FdtNode {
    return node(unitName('test', base), {
      compatible: strs('sifive,test1', 'sifive,test0', 'syscon'),
      reg: reg64(base, size),
      phandle: u32(this.phandle),
    });
  }

  saveState(): SifiveTestState {
    return { lastWrite: this.lastWrite };
  }

  loadState(state: unknown): void {
    this.lastWrite = (state as SifiveTestState).lastWrite;
  }
}

/** The root-level `poweroff` and `reboot` nodes QEMU 7.2 virt adds, pointing at the test device. */
export function sysconPowerNodes(testPhandle: number): FdtNode[] {
  return [
    node('poweroff', {
      compatible: str('syscon-poweroff'),
      regmap: u32(testPhandle),
      offset: u32(FINISHER_REG),
      value: u32(FINISHER_PASS),
    }),
    node('reboot', {
      compatible: str('syscon-reboot'),
      regmap: u32(testPhandle),
      offset: u32(FINISHER_REG),
      value: u32(FINISHER_RESET),
    }),
  ];
}
