// CSR numbers and field masks (privileged spec 1.12), declared once for the hart, the debugger and tests.

export const enum Csr {
  FFLAGS = 0x001, FRM = 0x002, FCSR = 0x003,
  CYCLE = 0xc00, TIME = 0xc01, INSTRET = 0xc02,
  SSTATUS = 0x100, SIE = 0x104, STVEC = 0x105, SCOUNTEREN = 0x106, SENVCFG = 0x10a,
  SSCRATCH = 0x140, SEPC = 0x141, SCAUSE = 0x142, STVAL = 0x143, SIP = 0x144, STIMECMP = 0x14d,
  SATP = 0x180,
  MVENDORID = 0xf11, MARCHID = 0xf12, MIMPID = 0xf13, MHARTID = 0xf14, MCONFIGPTR = 0xf15,
  MSTATUS = 0x300, MISA = 0x301, MEDELEG = 0x302, MIDELEG = 0x303, MIE = 0x304, MTVEC = 0x305,
  MCOUNTEREN = 0x306, MENVCFG = 0x30a, MCOUNTINHIBIT = 0x320,
  MSCRATCH = 0x340, MEPC = 0x341, MCAUSE = 0x342, MTVAL = 0x343, MIP = 0x344,
  PMPCFG0 = 0x3a0, PMPADDR0 = 0x3b0,
  MCYCLE = 0xb00, MINSTRET = 0xb02,
  MHPMCOUNTER3 = 0xb03, MHPMEVENT3 = 0x323, HPMCOUNTER3 = 0xc03,
  TSELECT = 0x7a0, TDATA1 = 0x7a1,
}

/** Names for the debugger's register views (and error messages). */
export const CSR_NAMES: ReadonlyMap<number, string> = new Map<number, string>([
  [0x001, 'fflags'], [0x002, 'frm'], [0x003, 'fcsr'],
  [0xc00, 'cycle'], [0xc01, 'time'], [0xc02, 'instret'],
  [0x100, 'sstatus'], [0x104, 'sie'], [0x105, 'stvec'], [0x106, 'scounteren'], [0x10a, 'senvcfg'],
  [0x140, 'sscratch'], [0x141, 'sepc'], [0x142, 'scause'], [0x143, 'stval'], [0x144, 'sip'], [0x14d, 'stimecmp'],
  [0x180, 'satp'],
  [0xf11, 'mvendorid'], [0xf12, 'marchid'], [0xf13, 'mimpid'], [0xf14, 'mhartid'], [0xf15, 'mconfigptr'],
  [0x300, 'mstatus'], [0x301, 'misa'], [0x302, 'medeleg'], [0x303, 'mideleg'], [0x304, 'mie'], [0x305, 'mtvec'],
  [0x306, 'mcounteren'], [0x30a, 'menvcfg'], [0x320, 'mcountinhibit'],
  [0x340, 'mscratch'], [0x341, 'mepc'], [0x342, 'mcause'], [0x343, 'mtval'], [0x344, 'mip'],
  ...Array.from({ length: 16 }, (_, i) => [0x3a0 + i, `pmpcfg${i}`] as [number, string]),
  ...Array.from({ length: 64 }, (_, i) => [0x3b0 + i, `pmpaddr${i}`] as [number, string]),
  [0xb00, 'mcycle'], [0xb02, 'minstret'],
  // The rest of the privileged spec's names (most are not implemented: they read as illegal), so that
  // disassembly and the debugger name every CSR a kernel or firmware touches.
  ...Array.from({ length: 29 }, (_, i) => [0xc03 + i, `hpmcounter${i + 3}`] as [number, string]),
  ...Array.from({ length: 29 }, (_, i) => [0xb03 + i, `mhpmcounter${i + 3}`] as [number, string]),
  ...Array.from({ length: 29 }, (_, i) => [0x323 + i, `mhpmevent${i + 3}`] as [number, string]),
  [0x34a, 'mtinst'], [0x34b, 'mtval2'], [0x747, 'mseccfg'], [0xda0, 'scountovf'], [0x015, 'seed'],
  [0x7a0, 'tselect'], [0x7a1, 'tdata1'], [0x7a2, 'tdata2'], [0x7a3, 'tdata3'], [0x7a4, 'tinfo'], [0x7a5, 'tcontrol'],
  [0x7a8, 'mcontext'], [0x7aa, 'mscontext'], [0x5a8, 'scontext'], [0x6a8, 'hcontext'],
  [0x7b0, 'dcsr'], [0x7b1, 'dpc'], [0x7b2, 'dscratch0'], [0x7b3, 'dscratch1'],
  [0x600, 'hstatus'], [0x602, 'hedeleg'], [0x603, 'hideleg'], [0x604, 'hie'], [0x605, 'htimedelta'], [0x606, 'hcounteren'],
  [0x607, 'hgeie'], [0x60a, 'henvcfg'], [0x643, 'htval'], [0x644, 'hip'], [0x645, 'hvip'], [0x64a, 'htinst'], [0xe12, 'hgeip'],
  [0x680, 'hgatp'], [0x200, 'vsstatus'], [0x204, 'vsie'], [0x205, 'vstvec'], [0x240, 'vsscratch'], [0x241, 'vsepc'],
  [0x242, 'vscause'], [0x243, 'vstval'], [0x244, 'vsip'], [0x280, 'vsatp'],
  ...Array.from({ length: 4 }, (_, i) => [0x10c + i, `sstateen${i}`] as [number, string]),
  ...Array.from({ length: 4 }, (_, i) => [0x30c + i, `mstateen${i}`] as [number, string]),
  ...Array.from({ length: 4 }, (_, i) => [0x60c + i, `hstateen${i}`] as [number, string]),
]);

/** mstatus bits (low 32; the high word is UXL = SXL = 2 (64-bit) and SD, computed on read). */
export const MSTATUS = {
  SIE: 1 << 1, MIE: 1 << 3, SPIE: 1 << 5, UBE: 1 << 6, MPIE: 1 << 7, SPP: 1 << 8,
  VS: 3 << 9, MPP: 3 << 11, MPP_SHIFT: 11, FS: 3 << 13, FS_SHIFT: 13, XS: 3 << 15,
  MPRV: 1 << 17, SUM: 1 << 18, MXR: 1 << 19, TVM: 1 << 20, TW: 1 << 21, TSR: 1 << 22,
} as const;

/** Writable mstatus bits (low word): no VS (no V extension), no big-endian, XS read-only zero. */
export const MSTATUS_WMASK = MSTATUS.SIE | MSTATUS.MIE | MSTATUS.SPIE | MSTATUS.MPIE | MSTATUS.SPP |
  MSTATUS.MPP | MSTATUS.FS | MSTATUS.MPRV | MSTATUS.SUM | MSTATUS.MXR | MSTATUS.TVM | MSTATUS.TW | MSTATUS.TSR;
/** The sstatus view of mstatus (low word). */
export const SSTATUS_MASK = MSTATUS.SIE | MSTATUS.SPIE | MSTATUS.UBE | MSTATUS.SPP | MSTATUS.VS | MSTATUS.FS |
  MSTATUS.XS | MSTATUS.SUM | MSTATUS.MXR;

/** Interrupt numbers (mcause with the interrupt bit) and their mip/mie masks. */
export const IRQ = { SSI: 1, MSI: 3, STI: 5, MTI: 7, SEI: 9, MEI: 11 } as const;
/** Interrupts that exist (mip/mie writable masks): SSIP, MSIP, STIP, MTIP, SEIP, MEIP. */
export const MIP_ALL = 0xaaa;
/** The S-level interrupts (what sip/sie can show when delegated). */
export const MIP_S = 0x222;
/** Priority order for taking interrupts (privileged spec 3.1.9): MEI, MSI, MTI, SEI, SSI, STI. */
export const IRQ_PRIORITY = [11, 3, 7, 9, 1, 5] as const;

/** Exception causes. */
export const enum Cause {
  MISALIGNED_FETCH = 0, FETCH_ACCESS = 1, ILLEGAL_INSTRUCTION = 2, BREAKPOINT = 3,
  MISALIGNED_LOAD = 4, LOAD_ACCESS = 5, MISALIGNED_STORE = 6, STORE_ACCESS = 7,
  ECALL_U = 8, ECALL_S = 9, ECALL_M = 11,
  FETCH_PAGE_FAULT = 12, LOAD_PAGE_FAULT = 13, STORE_PAGE_FAULT = 15,
}

/** Names of exception causes and interrupts (privileged spec table 3.6), for events and views. */
export const EXCEPTION_NAMES: readonly string[] = [
  'instruction address misaligned', 'instruction access fault', 'illegal instruction', 'breakpoint',
  'load address misaligned', 'load access fault', 'store/AMO address misaligned', 'store/AMO access fault',
  'ecall from U-mode', 'ecall from S-mode', 'reserved (10)', 'ecall from M-mode',
  'instruction page fault', 'load page fault', 'reserved (14)', 'store/AMO page fault',
];
export const INTERRUPT_NAMES: readonly string[] = [
  'reserved (0)', 'supervisor software', 'reserved (2)', 'machine software',
  'reserved (4)', 'supervisor timer', 'reserved (6)', 'machine timer',
  'reserved (8)', 'supervisor external', 'reserved (10)', 'machine external',
];

/** medeleg writable bits: every synchronous exception except ecall from M (11). */
export const MEDELEG_WMASK = 0xb3ff;

/** Privilege levels. */
export const PRV_U = 0;
export const PRV_S = 1;
export const PRV_M = 3;

/** misa for RV64 with I, M, A, F, D, C, S, U. */
export const MISA_VALUE = (2n << 62n) | BigInt(
  (1 << 0) /* A */ | (1 << 2) /* C */ | (1 << 3) /* D */ | (1 << 5) /* F */ | (1 << 8) /* I */ |
  (1 << 12) /* M */ | (1 << 18) /* S */ | (1 << 20) /* U */);

// ---- decoding CSR values for people (debugger views) ----

const FS_NAMES = ['Off', 'Initial', 'Clean', 'Dirty'];
const PRIV_NAMES = ['U', 'S', '?', 'M'];
const SATP_MODES: Record<number, string> = { 0: 'Bare', 8: 'Sv39', 9: 'Sv48', 10: 'Sv57' };
const IRQ_BITS: Array<[number, string]> = [[1, 'SSIP'], [3, 'MSIP'], [5, 'STIP'], [7, 'MTIP'], [9, 'SEIP'], [11, 'MEIP']];

/** The fields of a CSR value in words ("MIE MPIE MPP=S FS=Dirty"), or '' for CSRs without fields. */
export function decodeCsr(csr: number, value: bigint): string {
  const lo = Number(value & 0xffffffffn);
  const flags = (pairs: Array<[number, string]>): string[] => pairs.filter(([b]) => (lo & b) !== 0).map(([, n]) => n);
  switch (csr) {
    case Csr.MSTATUS:
    case Csr.SSTATUS: {
      const m = csr === Csr.MSTATUS;
      const out = flags([[MSTATUS.SIE, 'SIE'], [MSTATUS.SPIE, 'SPIE'], ...(m ? [[MSTATUS.MIE, 'MIE'], [MSTATUS.MPIE, 'MPIE']] as Array<[number, string]> : [])]);
      out.push(`SPP=${PRIV_NAMES[(lo & MSTATUS.SPP) !== 0 ? 1 : 0]}`);
      if (m) out.push(`MPP=${PRIV_NAMES[(lo & MSTATUS.MPP) >>> MSTATUS.MPP_SHIFT]}`);
      out.push(`FS=${FS_NAMES[(lo & MSTATUS.FS) >>> MSTATUS.FS_SHIFT]}`);
      out.push(...flags([[MSTATUS.SUM, 'SUM'], [MSTATUS.MXR, 'MXR'], ...(m ? [[MSTATUS.MPRV, 'MPRV'], [MSTATUS.TVM, 'TVM'], [MSTATUS.TW, 'TW'], [MSTATUS.TSR, 'TSR']] as Array<[number, string]> : [])]));
      if (value >> 63n) out.push('SD');
      return out.join(' ');
    }
    case Csr.MIP: case Csr.MIE: case Csr.SIP: case Csr.SIE: case Csr.MIDELEG:
      return flags(IRQ_BITS.map(([b, n]) => [1 << b, n])).join(' ') || 'none';
    case Csr.MEDELEG:
      return EXCEPTION_NAMES.filter((_, i) => (lo & (1 << i)) !== 0).join(', ') || 'none';
    case Csr.MCAUSE: case Csr.SCAUSE: {
      const code = Number(value & 0xfffn);
      const irq = value >> 63n === 1n;
      return `${irq ? 'interrupt' : 'exception'} ${code}: ${(irq ? INTERRUPT_NAMES[code] : EXCEPTION_NAMES[code]) ?? 'unknown'}`;
    }
    case Csr.SATP: {
      const mode = Number(value >> 60n);
      return `${SATP_MODES[mode] ?? `mode ${mode}`} ASID=${(value >> 44n) & 0xffffn} root=0x${((value & 0xfffffffffffn) << 12n).toString(16)}`;
    }
    case Csr.MTVEC: case Csr.STVEC:
      return `${(value & 3n) === 1n ? 'vectored' : 'direct'} base=0x${(value & ~3n).toString(16)}`;
    default:
      return '';
  }
}
