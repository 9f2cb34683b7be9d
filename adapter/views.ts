// The machine's views as DAP variable trees: registers, CSRs (grouped, fields decoded), the page-table
// tree under satp, and every device's self-description. Each node is a plain description; the session
// hands out variablesReference numbers for the expandable ones. All reads are side-effect free.

import type { DebugProtocol } from '@vscode/debugprotocol';
import type { Hart } from '../engine/cpu/hart.ts';
import type { Machine } from '../engine/machine.ts';
import { CSR_NAMES, Csr, decodeCsr } from '../engine/cpu/csr.ts';
import type { DeviceDescription, DeviceRegister } from '../engine/devices/device.ts';
import { pageTableOf, readTable, ramPeek64, mappings } from '../engine/mmu/tables.ts';
import { X_NAMES as ABI, F_NAMES as FABI } from '../debuginfo/registers.ts';

/** A variable, and if it expands, how to list its children (and how to set a child, if that can be done). */
export interface Node {
  variable: Omit<DebugProtocol.Variable, 'variablesReference'>;
  children?: () => Node[];
  /** Sets this variable from the user's text; returns the new displayed value. Throws a clear Error. */
  set?: (text: string) => string;
  /** The children last listed (the session finds a child to set by its name). */
  lastChildren?: Node[];
}

export const PRIV_NAMES = ['U', 'S', '?', 'M'];

/** CSR groups of the CSRs scope. */
export const CSR_GROUPS: Array<[string, number[]]> = [
  ['Machine', [Csr.MSTATUS, Csr.MISA, Csr.MEDELEG, Csr.MIDELEG, Csr.MIE, Csr.MIP, Csr.MTVEC, Csr.MEPC, Csr.MCAUSE, Csr.MTVAL, Csr.MSCRATCH, Csr.MCOUNTEREN, Csr.MENVCFG, Csr.MHARTID]],
  ['Supervisor', [Csr.SSTATUS, Csr.SIE, Csr.SIP, Csr.STVEC, Csr.SEPC, Csr.SCAUSE, Csr.STVAL, Csr.SSCRATCH, Csr.SATP, Csr.STIMECMP, Csr.SCOUNTEREN, Csr.SENVCFG]],
  ['Counters', [Csr.CYCLE, Csr.TIME, Csr.INSTRET]],
];

export const hex64 = (v: bigint): string => '0x' + BigInt.asUintN(64, v).toString(16).padStart(16, '0');
const hexN = (v: number | bigint): string => '0x' + v.toString(16);

/** Parses a number the user typed for a register or CSR: decimal, 0x hex, negative; or throws. */
export function parseNumber(text: string): bigint {
  const t = text.trim().replace(/_/g, '');
  if (!/^[-+]?(0x[0-9a-f]+|0b[01]+|0o[0-7]+|\d+)$/i.test(t)) throw new Error(`not a number: ${text}`);
  const neg = t.startsWith('-');
  const v = BigInt(t.replace(/^[-+]/, ''));
  if (neg ? v > 1n << 63n : v >= 1n << 64n) throw new Error(`${text} does not fit in 64 bits`);
  return BigInt.asUintN(64, neg ? -v : v);
}

/** The Registers scope: pc, privilege, x0–x31 by ABI name, and f0–f31 as a group. */
export function registerNodes(hart: Hart, regs: Map<number, bigint>, frame0: boolean, pc: bigint): Node[] {
  const nodes: Node[] = [
    {
      variable: { name: 'pc', value: hex64(pc), evaluateName: '$pc', memoryReference: hexN(pc) },
      set: frame0 ? (t) => { hart.setPc(parseNumber(t)); return hex64(hart.getPc()); } : undefined,
    },
    { variable: { name: 'mode', value: `${PRIV_NAMES[hart.getPriv()]}-mode (${hart.getPriv()})`, evaluateName: '$priv' } },
  ];
  for (let i = 0; i < 32; i++) {
    const v = regs.get(i);
    nodes.push({
      variable: { name: ABI[i], value: v === undefined ? '<not saved>' : hex64(v), evaluateName: `$${ABI[i]}`, type: `x${i}`, memoryReference: v === undefined ? undefined : hexN(v) },
      set: frame0 && i !== 0 ? (t) => { hart.setX(i, parseNumber(t)); return hex64(hart.getX(i)); } : undefined,
    });
  }
  nodes.push({
    variable: { name: 'floating point', value: 'f0–f31, fcsr' },
    children: () => {
      const f: Node[] = [];
      for (let i = 0; i < 32; i++) {
        const bits = regs.get(32 + i) ?? hart.getF(i);
        f.push({
          variable: { name: FABI[i], value: `${formatDouble(bits)}  (${hex64(bits)})`, evaluateName: `$${FABI[i]}`, type: `f${i}` },
          set: frame0 ? (t) => { hart.setF(i, parseFloatBits(t)); return formatDouble(hart.getF(i)); } : undefined,
        });
      }
      const fcsr = hart.getCsr(Csr.FCSR) ?? 0n;
      f.push({ variable: { name: 'fcsr', value: hexN(fcsr) + `  frm=${(fcsr >> 5n) & 7n} fflags=${hexN(fcsr & 31n)}`, evaluateName: '$fcsr' } });
      return f;
    },
  });
  return nodes;
}

/** A 64-bit FP register as a double, or as the NaN-boxed single it holds. */
function formatDouble(bits: bigint): string {
  const b = new DataView(new ArrayBuffer(8));
  b.setBigUint64(0, BigInt.asUintN(64, bits), true);
  if (bits >> 32n === 0xffffffffn) return `${b.getFloat32(0, true)} (single)`;
  return String(b.getFloat64(0, true));
}

function parseFloatBits(text: string): bigint {
  const t = text.trim();
  if (/^0x[0-9a-f]+$/i.test(t)) return BigInt(t);
  const v = Number(t);
  if (Number.isNaN(v) && t.toLowerCase() !== 'nan') throw new Error(`not a number: ${text}`);
  const b = new DataView(new ArrayBuffer(8));
  b.setFloat64(0, v, true);
  return b.getBigUint64(0, true);
}

/** The CSRs scope: groups, then each CSR with its fields decoded; writable through setVariable. */
export function csrNodes(hart: Hart): Node[] {
  return CSR_GROUPS.map(([group, csrs]) => ({
    variable: { name: group, value: '' },
    children: () => csrs.map((csr) => csrNode(hart, csr)),
  }));
}

function csrValue(hart: Hart, csr: number): string {
  const v = hart.getCsr(csr) ?? 0n;
  const fields = decodeCsr(csr, v);
  return hex64(v) + (fields ? `  ${fields}` : '');
}

function csrNode(hart: Hart, csr: number): Node {
  const name = CSR_NAMES.get(csr) ?? `csr 0x${csr.toString(16)}`;
  return {
    variable: { name, value: csrValue(hart, csr), evaluateName: `$${name}` },
    set: (t) => {
      if (!hart.setCsr(csr, parseNumber(t))) throw new Error(`${name} cannot be written`);
      return csrValue(hart, csr);
    },
  };
}

/** The Page Tables scope for a hart: satp decoded, the root table's valid entries, tables expand. */
export function pageTableNodes(machine: Machine, hart: Hart): Node[] {
  const satp = hart.getCsr(Csr.SATP) ?? 0n;
  const view = pageTableOf(satp);
  const nodes: Node[] = [{ variable: { name: 'satp', value: `${hex64(satp)}  ${view.mode}${view.levels ? `, ASID ${view.asid}, root ${hexN(view.rootPa)}` : ''}` } }];
  if (view.levels === 0) {
    nodes.push({ variable: { name: 'translation', value: hart.getPriv() === 3 ? 'none (M-mode: physical addresses)' : 'none (satp is Bare: virtual = physical)' } });
    return nodes;
  }
  const peek = ramPeek64(machine.board.bus);
  const tableNodes = (pa: number, level: number, vaBase: bigint): Node[] => {
    let entries;
    try {
      entries = readTable(peek, pa, level, vaBase, view.levels);
    } catch (e) {
      return [{ variable: { name: 'error', value: (e as Error).message } }];
    }
    return entries.map((e) => {
      const range = `${hexN(e.vaStart)}–${hexN(BigInt.asUintN(64, e.vaStart + e.vaSize - 1n))}`;
      const what = e.kind === 'table' ? `table @ ${hexN(e.target ?? 0)}`
        : e.kind === 'leaf' ? `→ ${hexN(e.target ?? 0)} ${sizeName(e.vaSize)} page`
          : e.kind;
      return {
        variable: {
          name: `[${e.index}] ${range}`,
          value: `${what}  ${e.flags}  pte ${hexN(e.pte)} @ ${hexN(e.pteAddress)}${e.problem ? `  (${e.problem})` : ''}`,
          memoryReference: e.kind === 'leaf' ? hexN(e.vaStart) : undefined,
        },
        children: e.kind === 'table' && e.target !== undefined && e.level > 0 ? () => tableNodes(e.target!, e.level - 1, e.vaStart) : undefined,
      };
    });
  };
  nodes.push({ variable: { name: `root table (level ${view.levels - 1})`, value: hexN(view.rootPa) }, children: () => tableNodes(view.rootPa, view.levels - 1, 0n) });
  nodes.push({
    variable: { name: 'mappings', value: 'contiguous runs with the same flags' },
    children: () => mappings(peek, view, { maxRuns: 500 }).map((r) => ({
      variable: { name: `${hexN(r.vaStart)}–${hexN(r.vaEnd - 1n)}`, value: `→ ${hexN(r.paStart)}  ${r.flags}  ${sizeName(r.vaEnd - r.vaStart)} in ${sizeName(r.pageSize)} pages` },
    })),
  });
  return nodes;
}

function sizeName(bytes: bigint): string {
  const units: Array<[bigint, string]> = [[1n << 40n, 'TiB'], [1n << 30n, 'GiB'], [1n << 20n, 'MiB'], [1n << 10n, 'KiB']];
  for (const [u, n] of units) if (bytes >= u && bytes % u === 0n) return `${bytes / u} ${n}`;
  return `${bytes} B`;
}

/** The Devices scope: every device on the bus with its registers and parts, as it describes itself. */
export function deviceNodes(machine: Machine): Node[] {
  return machine.board.bus.devices.map((r) => {
    const d = r.device.describe();
    return describeNode(d, `${d.kind} @ ${hexN(r.base)}`);
  });
}

function describeNode(d: DeviceDescription, value: string): Node {
  return {
    variable: { name: d.name, value },
    children: () => [
      ...d.registers.map(registerNode),
      ...(d.children ?? []).map((c) => describeNode(c, c.kind)),
    ],
  };
}

function registerNode(r: DeviceRegister): Node {
  const v = typeof r.value === 'string' ? r.value : hexN(r.value);
  const where = r.offset !== undefined ? ` @+${hexN(r.offset)}` : '';
  return { variable: { name: r.name + where, value: r.detail ? `${v}  ${r.detail}` : v } };
}
