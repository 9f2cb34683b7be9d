// CSR and trap tests (engine/cpu/hart.ts, engine/cpu/csr.ts) against the privileged spec
// (machine.adoc, supervisor.adoc) and Zicsr/Zicntr: status views, delegation, trap entry and return,
// privilege checks, counters and interrupts. Guests run on a Machine with `-bios none`.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { guest, runTo, runUntil, asm1, describe as hartState, RAM_BASE, type Guest } from '../../helpers/asm.ts';
import { Csr, MSTATUS, PRV_M, PRV_S, PRV_U, decodeCsr } from '../../../engine/cpu/csr.ts';

const B = (n: number): bigint => 1n << BigInt(n);
const MS = {
  SIE: B(1), MIE: B(3), SPIE: B(5), UBE: B(6), MPIE: B(7), SPP: B(8), VS: 3n << 9n, MPP: 3n << 11n, FS: 3n << 13n,
  XS: 3n << 15n, MPRV: B(17), SUM: B(18), MXR: B(19), TVM: B(20), TW: B(21), TSR: B(22), UXL: 3n << 32n,
  SXL: 3n << 34n, SD: B(63),
};
const INT = B(63);
const MPP = (v: bigint): bigint => (v >> 11n) & 3n;

/** Guest prologue: a trap handler that stops at `mtrap`, and a PMP entry opening all memory to S/U. */
const PROLOGUE = `
  la t0, mtrap; csrw mtvec, t0
  li t0, -1; srli t0, t0, 10; csrw pmpaddr0, t0
  li t0, 0x1f; csrw pmpcfg0, t0`;

/** M-mode code that enters `mode` at `label` through MRET. */
const enter = (mode: number, label: string): string => `
  li t0, 0x1800; csrc mstatus, t0
  li t0, ${mode << 11}; csrs mstatus, t0
  la t0, ${label}; csrw mepc, t0
  mret`;

const runToAny = (g: Guest, labels: string[], maxSteps = 20_000): string => runUntil(g, labels, maxSteps);

const csr = (g: Guest, n: number): bigint => {
  const v = g.h.getCsr(n);
  if (v === undefined) throw new Error(`CSR 0x${n.toString(16)} unreadable`);
  return v;
};

describe('mstatus and sstatus', () => {
  test('writable fields, read-only UXL/SXL = 64-bit, XS read-only zero; sstatus is a view of the same bits', () => {
    const g = guest(`
      li t0, -1
      csrw mstatus, t0; csrr a0, mstatus
      csrw sstatus, t0; csrr a1, mstatus; csrr a2, sstatus
      csrw mstatus, zero; csrr a3, mstatus; csrr a4, sstatus
      csrw sstatus, t0; csrr a5, mstatus
      end: j end`);
    runTo(g);
    const [a0, a1, a2, a3, a4, a5] = [10, 11, 12, 13, 14, 15].map((r) => g.h.getX(r));
    const writable = MS.SIE | MS.MIE | MS.SPIE | MS.MPIE | MS.SPP | MS.MPP | MS.FS | MS.MPRV | MS.SUM | MS.MXR | MS.TVM | MS.TW | MS.TSR;
    assert.equal(a0 & writable, writable, 'every standard writable field took the ones');
    assert.equal(a0 & MS.UXL, 2n << 32n, 'UXL = 2');
    assert.equal(a0 & MS.SXL, 2n << 34n, 'SXL = 2');
    assert.equal(a0 & MS.XS, 0n, 'XS is read-only zero without extra user state');
    assert.equal(a0 & MS.SD, MS.SD, 'SD with FS dirty');
    // sstatus is a restricted view of mstatus: writing all ones through it cannot set a bit that a write of
    // all ones to mstatus itself leaves clear (the fields are the same WARL fields).
    assert.equal('0x' + a1.toString(16), '0x' + a0.toString(16), 'mstatus after writing all ones to sstatus');
    const sview = MS.SIE | MS.SPIE | MS.UBE | MS.SPP | MS.VS | MS.FS | MS.XS | MS.SUM | MS.MXR | MS.UXL | MS.SD;
    assert.equal(a2, a0 & sview, 'sstatus shows only its fields, including UXL and SD, not SXL');
    assert.equal(a3, (2n << 32n) | (2n << 34n));
    assert.equal(a4, 2n << 32n);
    assert.equal(a5 & (MS.UBE | MS.VS | MS.XS), a0 & (MS.UBE | MS.VS | MS.XS), 'sstatus cannot set fields mstatus keeps at zero');
    assert.equal(a5 & (MS.MIE | MS.MPIE | MS.MPP | MS.MPRV | MS.TVM | MS.TW | MS.TSR), 0n, 'sstatus cannot reach M-only fields');
  });

  test('MPP never holds the reserved value 2', () => {
    const g = guest(`
      li t0, 0x1800; csrs mstatus, t0
      li t0, 0x1000; csrw mstatus, t0; csrr a0, mstatus
      end: j end`);
    runTo(g);
    assert.notEqual(MPP(g.h.getX(10)), 2n);
  });

  test('SD follows FS: initial and clean give 0, a float write makes FS dirty and sets SD (also in sstatus)', () => {
    const g = guest(`
      li t0, 0x2000; csrw mstatus, t0; csrr a0, mstatus     # FS = initial
      li t0, 0x4000; csrw mstatus, t0; csrr a1, mstatus     # FS = clean
      fmv.d.x ft0, zero
      csrr a2, mstatus; csrr a3, sstatus
      end: j end`);
    runTo(g);
    assert.equal(g.h.getX(10) & MS.SD, 0n);
    assert.equal(g.h.getX(11) & MS.SD, 0n);
    assert.equal(g.h.getX(12) & (MS.SD | MS.FS), MS.SD | MS.FS);
    assert.equal(g.h.getX(13) & (MS.SD | MS.FS), MS.SD | MS.FS);
  });

  test('FS = off: float instructions and fcsr accesses are illegal, mtval = the instruction', () => {
    for (const insn of ['fmv.d.x ft0, zero', 'fld ft0, 0(sp)', 'csrr a0, fcsr', 'csrw frm, zero']) {
      const g = guest(`${PROLOGUE}
        csrw mstatus, zero
        bad: ${insn}
        end: j end
        mtrap: j mtrap`);
      assert.equal(runToAny(g, ['end', 'mtrap']), 'mtrap', insn);
      assert.equal(csr(g, Csr.MCAUSE), 2n);
      assert.equal(csr(g, Csr.MEPC), BigInt(g.prog.at('bad')));
      assert.equal(csr(g, Csr.MTVAL), BigInt(asm1(insn)), insn);
    }
  });
});

describe('interrupt-enable/pending views and delegation registers', () => {
  test('sie/sip are mie/mip masked by mideleg; only SSIP is writable through sip', () => {
    const g = guest(`
      li t0, -1; csrw mie, t0; csrr s1, mie
      csrw mideleg, zero; csrr a0, sie
      csrw sie, t0; csrr a1, mie
      li t1, 0x222; csrw mideleg, t1; csrr a2, sie
      csrw sie, zero; csrr a3, mie
      csrw sie, t0; csrr a4, mie
      csrw mie, zero
      csrw mideleg, zero; li t1, 0x222; csrs mip, t1; csrr a5, sip
      csrw mideleg, t1; csrr a6, sip
      csrw sip, zero; csrr a7, mip
      csrs sip, t0; csrr s2, mip
      end: j end`);
    runTo(g);
    const x = (r: number): bigint => g.h.getX(r);
    assert.equal(x(9), 0xaaan, 'mie: SSIE STIE SEIE MSIE MTIE MEIE');
    assert.equal(x(10), 0n, 'sie with nothing delegated');
    assert.equal(x(11), 0xaaan, 'sie writes ignored with nothing delegated');
    assert.equal(x(12), 0x222n);
    assert.equal(x(13), 0x888n, 'clearing sie clears only the delegated bits of mie');
    assert.equal(x(14), 0xaaan);
    assert.equal(x(15), 0n, 'sip with nothing delegated');
    assert.equal(x(16), 0x222n);
    // (mip also shows MTIP: the CLINT's mtimecmp resets to 0, as QEMU's.)
    assert.equal(x(17) & 0x222n, 0x220n, 'STIP and SEIP are read-only in sip');
    assert.equal(x(18) & 0x222n, 0x222n);
  });

  test('medeleg: ecall-from-M (bit 11) is not delegable; mideleg holds only the S-level interrupts', () => {
    const g = guest(`
      li t0, -1; csrw medeleg, t0; csrr a0, medeleg; csrw mideleg, t0; csrr a1, mideleg
      csrw medeleg, zero; csrr a2, medeleg
      end: j end`);
    runTo(g);
    assert.equal(g.h.getX(10) & B(11), 0n);
    assert.equal(g.h.getX(10), 0xb3ffn, 'causes 0-9, 12, 13, 15');
    assert.equal(g.h.getX(11), 0x222n);
    assert.equal(g.h.getX(12), 0n);
  });

  test('SEIP in mip: reads as software bit OR the external line; CSRRS/CSRRC modify only the software bit', () => {
    // machine.adoc (mip.SEIP): "Only the software-writable SEIP bit participates in the read-modify-write
    // sequence of a CSRRS or CSRRC instruction."
    const g = guest(`
      csrr a0, mip
      csrsi mip, 2            # set SSIP with a read-modify-write while the SEIP line is high
      line_off: csrr a1, mip
      end: j end`);
    g.h.setPending(0x200, true); // the PLIC drives SEIP
    runTo(g, 'line_off');
    g.h.setPending(0x200, false);
    runTo(g);
    assert.equal(g.h.getX(10) & 0x200n, 0x200n, 'the line is visible in mip');
    assert.equal(g.h.getX(11) & 0x222n, 0x2n, 'SEIP must drop with the line: csrrs must not latch it into the software bit');
  });
});

describe('trap vectors', () => {
  test('mtvec/stvec: direct and vectored modes kept, reserved modes (2, 3) leave the register unchanged', () => {
    const g = guest(`
      li t0, 0x80001000
      csrw mtvec, t0; csrr a0, mtvec
      ori t1, t0, 1; csrw mtvec, t1; csrr a1, mtvec
      ori t1, t0, 2; csrw mtvec, t1; csrr a2, mtvec
      ori t1, t0, 3; csrw mtvec, t1; csrr a3, mtvec
      csrw stvec, t0; csrr a4, stvec
      ori t1, t0, 1; csrw stvec, t1; csrr a5, stvec
      ori t1, t0, 2; csrw stvec, t1; csrr a6, stvec
      ori t1, t0, 3; csrw stvec, t1; csrr a7, stvec
      end: j end`);
    runTo(g);
    const x = (r: number): bigint => g.h.getX(r);
    assert.deepEqual([10, 11, 12, 13].map(x), [0x80001000n, 0x80001001n, 0x80001001n, 0x80001001n]);
    assert.deepEqual([14, 15, 16, 17].map(x), [0x80001000n, 0x80001001n, 0x80001001n, 0x80001001n]);
  });

  test('vectored mode: exceptions go to BASE, interrupts to BASE + 4 × cause', () => {
    const g = guest(`
      la t0, vec; ori t0, t0, 1; csrw mtvec, t0
      ecall
      after_ecall: li t0, 8; csrw mie, t0; csrsi mstatus, 8
      li t0, 0x2000000; li t1, 1; sw t1, 0(t0)   # CLINT msip → MSIP
      spin: j spin
      .balign 256
      vec: j exc
      j bad; j bad
      j msi
      j bad; j bad; j bad; j bad
      exc: csrr t2, mepc; addi t2, t2, 4; csrw mepc, t2; mret
      msi: j msi
      bad: j bad`);
    assert.equal(runToAny(g, ['exc', 'msi', 'bad']), 'exc');
    assert.equal(csr(g, Csr.MCAUSE), 11n);
    assert.equal(runToAny(g, ['exc', 'msi', 'bad']), 'msi');
    assert.equal(csr(g, Csr.MCAUSE), INT | 3n);
    assert.equal(csr(g, Csr.MTVAL), 0n);
  });
});

describe('trap entry and return', () => {
  test('ecall from M, S and U into M: mcause, mepc, mtval = 0, MPP, MPIE ← MIE, MIE ← 0', () => {
    const g = guest(`${PROLOGUE}
      csrsi mstatus, 8
      ecall_m: ecall
      ${enter(PRV_S, 'scode')}
      scode: ecall_s: ecall
      ucode: ecall_u: ecall
      mtrap: j mtrap`);
    const expect = (label: string, cause: bigint, mpp: bigint, mpie: bigint): void => {
      assert.equal(runToAny(g, ['mtrap']), 'mtrap');
      assert.equal(csr(g, Csr.MCAUSE), cause, label);
      assert.equal(csr(g, Csr.MEPC), BigInt(g.prog.at(label)), label);
      assert.equal(csr(g, Csr.MTVAL), 0n);
      const ms = csr(g, Csr.MSTATUS);
      assert.equal(MPP(ms), mpp, `${label} MPP`);
      assert.equal(ms & MS.MPIE, mpie, `${label} MPIE`);
      assert.equal(ms & MS.MIE, 0n, `${label} MIE`);
      assert.equal(g.h.getPriv(), PRV_M);
    };
    expect('ecall_m', 11n, 3n, MS.MPIE);
    g.h.pc = g.prog.at('ecall_m') + 4; // resume in M after the ecall (MIE is now 0, MPIE 1): enter S
    expect('ecall_s', 9n, 1n, MS.MPIE);
    // Into U through the mret that ends the enter() sequence (just before scode): MIE ← MPIE = 1 in U.
    g.h.setCsr(Csr.MSTATUS, csr(g, Csr.MSTATUS) & ~MS.MPP);
    g.h.setCsr(Csr.MEPC, BigInt(g.prog.at('ucode')));
    g.h.pc = g.prog.at('scode') - 4;
    assert.equal(g.m.board.bus.ram32[(g.h.pc - RAM_BASE) / 4] >>> 0, asm1('mret'));
    expect('ecall_u', 8n, 0n, MS.MPIE);
  });

  test('MRET: priv ← MPP, MIE ← MPIE, MPIE ← 1, MPP ← U; MPRV cleared when MPP ≠ M, kept when MPP = M', () => {
    const g = guest(`${PROLOGUE}
      li t0, 0x20000; csrs mstatus, t0        # MPRV
      li t0, 0x1808; csrs mstatus, t0         # MPP = M, MIE = 1, MPIE = 0
      la t0, m2; csrw mepc, t0
      mret
      m2: csrr a0, mstatus
      li t0, 0x1800; csrc mstatus, t0; li t0, 0x800; csrs mstatus, t0   # MPP = S
      li t0, 0x80; csrs mstatus, t0          # MPIE = 1
      la t0, sdone; csrw mepc, t0
      mret
      sdone: nop
      end: j end
      mtrap: j mtrap`);
    runTo(g);
    const a0 = g.h.getX(10);
    assert.equal(a0 & MS.MPRV, MS.MPRV, 'MRET to M keeps MPRV');
    assert.equal(a0 & MS.MIE, 0n, 'MIE ← MPIE (0)');
    assert.equal(a0 & MS.MPIE, MS.MPIE);
    assert.equal(MPP(a0), 0n, 'MPP ← U');
    assert.equal(g.h.getPriv(), PRV_S);
    const ms = csr(g, Csr.MSTATUS);
    assert.equal(ms & MS.MPRV, 0n, 'MRET to S clears MPRV');
    assert.equal(ms & MS.MIE, MS.MIE);
    assert.equal(MPP(ms), 0n);
  });

  test('delegated exception from U to S: scause, sepc, stval, SPP = 0, SPIE ← SIE, SIE ← 0; SRET returns to U', () => {
    const g = guest(`${PROLOGUE}
      li t0, 0x100; csrw medeleg, t0       # delegate ecall from U
      la t0, strap; csrw stvec, t0
      li t0, 2; csrs mstatus, t0           # SIE = 1 (it is what U sees as SPIE later)
      ${enter(PRV_U, 'ucode')}
      ucode: ecall_u: ecall
      back_in_u: j back_in_u
      strap: csrr a0, scause; csrr a1, sepc; csrr a2, stval; csrr a3, sstatus
      addi a1, a1, 4; csrw sepc, a1
      sret
      mtrap: j mtrap`);
    assert.equal(runToAny(g, ['back_in_u', 'mtrap']), 'back_in_u');
    assert.equal(g.h.getX(10), 8n);
    assert.equal(g.h.getX(11) - 4n, BigInt(g.prog.at('ecall_u')));
    assert.equal(g.h.getX(12), 0n);
    const ss = g.h.getX(13);
    assert.equal(ss & MS.SPP, 0n, 'SPP = U');
    assert.equal(ss & MS.SPIE, MS.SPIE, 'SPIE ← SIE');
    assert.equal(ss & MS.SIE, 0n, 'SIE ← 0');
    assert.equal(g.h.getPriv(), PRV_U);
    const ms = csr(g, Csr.MSTATUS);
    assert.equal(ms & MS.SIE, MS.SIE, 'SRET: SIE ← SPIE');
    assert.equal(ms & MS.SPIE, MS.SPIE, 'SRET: SPIE ← 1');
    assert.equal(ms & MS.SPP, 0n, 'SRET: SPP ← U');
    assert.equal(csr(g, Csr.MCAUSE), 0n, 'nothing reached M');
  });

  test('delegated exception taken in S stays in S (SPP = S); the same exception in M is never delegated', () => {
    const bad = asm1('csrr a0, mstatus'); // illegal in S
    const g = guest(`${PROLOGUE}
      li t0, 0x4; csrw medeleg, t0          # delegate illegal instruction
      la t0, strap; csrw stvec, t0
      ${enter(PRV_S, 'scode')}
      scode: sbad: csrr a0, mstatus
      strap: j strap
      mtrap: j mtrap
      mcode: mbad: .word 0xffffffff          # illegal in M: must go to mtrap although delegated`);
    assert.equal(runToAny(g, ['strap', 'mtrap']), 'strap');
    assert.equal(csr(g, Csr.SCAUSE), 2n);
    assert.equal(csr(g, Csr.STVAL), BigInt(bad));
    assert.equal(csr(g, Csr.SEPC), BigInt(g.prog.at('sbad')));
    assert.equal(csr(g, Csr.MSTATUS) & MS.SPP, MS.SPP);
    assert.equal(g.h.getPriv(), PRV_S);
    assert.equal(csr(g, Csr.MCAUSE), 0n, 'nothing reached M');
    g.h.setPriv(PRV_M);
    g.h.pc = g.prog.at('mcode');
    assert.equal(runToAny(g, ['strap', 'mtrap']), 'mtrap');
    assert.equal(csr(g, Csr.MCAUSE), 2n);
    assert.equal(csr(g, Csr.MEPC), BigInt(g.prog.at('mbad')));
    assert.equal(csr(g, Csr.MTVAL), 0xffffffffn);
    assert.equal(g.h.getPriv(), PRV_M);
  });
});

/** Runs `insn` at label `probe` in `priv` (entered by MRET from M after `setup`), reporting the trap, if any. */
function probe(setup: string, priv: number, insn: string, h?: (g: Guest) => void): { trapped: boolean; cause: bigint; tval: bigint; g: Guest } {
  const g = guest(`${PROLOGUE}
    ${setup}
    ${enter(priv, 'probe')}
    probe: ${insn}
    done: j done
    mtrap: j mtrap`);
  h?.(g);
  const where = runToAny(g, ['done', 'mtrap']);
  if (where === 'mtrap') assert.equal(csr(g, Csr.MEPC), BigInt(g.prog.at('probe')), 'mepc = the trapping instruction');
  return { trapped: where === 'mtrap', cause: csr(g, Csr.MCAUSE), tval: csr(g, Csr.MTVAL), g };
}

function assertIllegal(r: { trapped: boolean; cause: bigint; tval: bigint }, insn: string): void {
  assert.ok(r.trapped, `${insn} must trap`);
  assert.equal(r.cause, 2n, `${insn}: illegal instruction`);
  assert.equal(r.tval, BigInt(asm1(insn)), `${insn}: mtval = the instruction bits`);
}

describe('xRET, TSR, TVM, TW', () => {
  for (const [priv, insn, setup, illegal] of [
    [PRV_S, 'mret', '', true], [PRV_U, 'mret', '', true], [PRV_U, 'sret', '', true],
    [PRV_S, 'sret', 'li t0, 0x400000; csrs mstatus, t0', true],
    [PRV_S, 'csrr a0, satp', 'li t0, 0x100000; csrs mstatus, t0', true],
    [PRV_S, 'csrw satp, zero', 'li t0, 0x100000; csrs mstatus, t0', true],
    [PRV_S, 'sfence.vma', 'li t0, 0x100000; csrs mstatus, t0', true],
    [PRV_S, 'csrr a0, satp', '', false],
    [PRV_S, 'sfence.vma', '', false],
    [PRV_S, 'wfi', 'li t0, 0x200000; csrs mstatus, t0', true],
    [PRV_U, 'wfi', '', true],
    [PRV_U, 'sfence.vma', '', true],
  ] as Array<[number, string, string, boolean]>) {
    const what = `${insn} in ${priv === PRV_S ? 'S' : 'U'}${setup ? ` with ${setup.includes('0x400000') ? 'TSR' : setup.includes('0x100000') ? 'TVM' : 'TW'}` : ''}`;
    test(`${what}: ${illegal ? 'illegal instruction' : 'allowed'}`, () => {
      const r = probe(setup, priv, insn);
      if (illegal) assertIllegal(r, insn);
      else assert.equal(r.trapped, false, `${what} ${hartState(r.g.h)}`);
    });
  }

  test('SRET in M-mode is allowed with TSR = 1 and clears MPRV', () => {
    const g = guest(`${PROLOGUE}
      li t0, 0x420000; csrs mstatus, t0      # TSR, MPRV
      li t0, 0x100; csrs mstatus, t0         # SPP = S
      la t0, sdone; csrw sepc, t0
      sret
      sdone: nop
      end: j end
      mtrap: j mtrap`);
    assert.equal(runToAny(g, ['end', 'mtrap']), 'end');
    assert.equal(g.h.getPriv(), PRV_S);
    assert.equal(csr(g, Csr.MSTATUS) & MS.MPRV, 0n);
  });

  test('WFI in S with TW = 0 and an interrupt pending completes (no trap)', () => {
    // SSIP delegated and pending, SIE = 0 in S: pending and enabled in mie (so WFI completes) but not taken.
    const r = probe('li t0, 2; csrw mideleg, t0; csrw mie, t0; csrs mip, t0', PRV_S, 'wfi');
    assert.equal(r.trapped, false);
  });
});

describe('CSR access checks', () => {
  const cases: Array<[number, string, boolean, string]> = [
    [PRV_S, 'csrr a0, mstatus', true, 'M CSR from S'],
    [PRV_S, 'csrr a0, mscratch', true, 'M CSR from S'],
    [PRV_U, 'csrr a0, sstatus', true, 'S CSR from U'],
    [PRV_U, 'csrr a0, sscratch', true, 'S CSR from U'],
    [PRV_S, 'csrr a0, sscratch', false, 'S CSR from S'],
    [PRV_M, 'csrw mvendorid, a1', true, 'write to a read-only CSR'],
    [PRV_M, 'csrw mhartid, a1', true, 'write to a read-only CSR'],
    [PRV_M, 'csrrwi zero, mhartid, 0', true, 'CSRRW always writes, even with x0'],
    [PRV_M, 'csrw cycle, a1', true, 'write to a read-only counter'],
    [PRV_M, 'csrs time, a1', true, 'write to a read-only counter'],
    [PRV_M, 'csrrs a0, mhartid, zero', false, 'CSRRS with x0 does not write'],
    [PRV_M, 'csrrsi a0, mimpid, 0', false, 'CSRRSI with uimm 0 does not write'],
    [PRV_M, 'csrrc a0, marchid, zero', false, 'CSRRC with x0 does not write'],
    [PRV_M, 'csrr a0, 0x7c0', true, 'nonexistent (custom) CSR'],
    [PRV_M, 'csrr a0, 0x5c0', true, 'nonexistent (custom S) CSR'],
    [PRV_M, 'csrr a0, pmpcfg1', true, 'pmpcfg1 does not exist on RV64'],
    [PRV_M, 'csrr a0, 0x105', false, 'stvec from M'],
    [PRV_M, 'csrr a0, 0x7ff', true, 'nonexistent CSR'],
  ];
  for (const [priv, insn, illegal, why] of cases) {
    test(`${insn} in ${['U', 'S', '?', 'M'][priv]}: ${illegal ? 'illegal' : 'legal'} (${why})`, () => {
      const r = probe('li a0, 1234; li a1, 0', priv, insn);
      if (illegal) {
        assertIllegal(r, insn);
        assert.equal(r.g.h.getX(10), 1234n, 'rd not written');
      } else {
        assert.equal(r.trapped, false, hartState(r.g.h));
      }
    });
  }

  test('an illegal CSR instruction that straddles a page boundary reports all 32 bits in mtval', () => {
    const insn = 'csrr a0, 0x7c0';
    const g = guest(`
      la t0, mtrap; csrw mtvec, t0
      j cross
      .space ${0xffe - 16}
      cross: ${insn}
      end: j end
      .balign 4
      mtrap: j mtrap`);
    assert.equal(g.prog.at('cross'), RAM_BASE + 0xffe);
    assert.equal(runToAny(g, ['end', 'mtrap']), 'mtrap');
    assert.equal(csr(g, Csr.MCAUSE), 2n);
    assert.equal(csr(g, Csr.MEPC), BigInt(RAM_BASE + 0xffe));
    assert.equal('0x' + csr(g, Csr.MTVAL).toString(16), '0x' + asm1(insn).toString(16));
  });

  test('illegal compressed instruction: mtval = its 16 bits; unknown 32-bit opcode: all 32 bits', () => {
    const g = guest(`
      la t0, mtrap; csrw mtvec, t0
      c16: .half 0x8002
      c32: .word 0x0000007b
      end: j end
      .balign 4
      mtrap: csrr t1, mepc; lhu t2, 0(t1); andi t2, t2, 3; addi t1, t1, 2; li t3, 3; bne t2, t3, skip; addi t1, t1, 2
      skip: csrr t4, mtval; sd t4, 0(s0); addi s0, s0, 8; csrw mepc, t1; mret`);
    g.h.setX(8, 0x80100000n);
    runTo(g);
    assert.equal(g.h.getX(8), 0x80100010n);
    const dv = g.m.board.bus.ram;
    const rd = (o: number): bigint => new DataView(dv.buffer).getBigUint64(0x100000 + o, true);
    assert.equal(rd(0), 0x8002n);
    assert.equal(rd(8), 0x7bn);
  });
});

describe('counters', () => {
  test('minstret counts retired instructions; a value written is what the next instruction reads', () => {
    const g = guest(`
      csrr a0, minstret; nop; nop; nop; csrr a1, minstret
      li t0, 1000; csrw minstret, t0; csrr a2, minstret; csrr a3, instret
      csrr a4, mcycle; nop; nop; csrr a5, mcycle
      li t0, 5000; csrw mcycle, t0; csrr a6, mcycle; csrr a7, cycle
      end: j end`);
    runTo(g);
    const x = (r: number): bigint => g.h.getX(r);
    assert.equal(x(11) - x(10), 4n);
    assert.equal(x(12), 1000n, 'Zicsr: a value written to instret by one instruction is read by the following one');
    assert.equal(x(13), 1001n, 'instret shadows minstret');
    assert.ok(x(15) > x(14), 'mcycle advances');
    assert.ok(x(16) >= 5000n && x(16) <= 5002n, `mcycle after a write: ${x(16)}`);
    assert.ok(x(17) > x(16) && x(17) <= x(16) + 2n, 'cycle shadows mcycle');
  });

  test('ECALL and faulting instructions do not retire (minstret unchanged by them)', () => {
    const g = guest(`
      la t0, mtrap; csrw mtvec, t0
      csrr a0, minstret
      ecall
      mtrap: csrr a1, minstret
      bne s1, zero, second; li s1, 1
      la t0, mtrap2; csrw mtvec, t0
      csrr a2, minstret
      ld t1, 0(zero)                 # load access fault
      mtrap2: csrr a3, minstret
      end: j end
      second: j second`);
    runTo(g);
    const x = (r: number): bigint => g.h.getX(r);
    assert.equal(x(11) - x(10), 1n, 'only the csrr before the ecall retired');
    assert.equal(x(13) - x(12), 1n, 'only the csrr before the faulting load retired');
    assert.equal(csr(g, Csr.MCAUSE), 5n);
  });

  test('time reads the CLINT mtime', () => {
    const g = guest(`
      li t0, 0x200bff8
      li t1, 2000; loop: addi t1, t1, -1; bnez t1, loop
      ld a0, 0(t0); rdtime a1; ld a2, 0(t0)
      end: j end`);
    runTo(g, 'end', 20_000);
    const [a0, a1, a2] = [10, 11, 12].map((r) => g.h.getX(r));
    assert.ok(a0 > 0n, 'time has advanced');
    assert.ok(a0 <= a1 && a1 <= a2, `mtime ${a0} ≤ time ${a1} ≤ mtime ${a2}`);
  });

  const gate: Array<[number, number, number, boolean]> = [
    // [priv, mcounteren, scounteren, allowed]
    [PRV_S, 0, 0, false], [PRV_S, 7, 0, true], [PRV_S, 0, 7, false],
    [PRV_U, 7, 0, false], [PRV_U, 0, 7, false], [PRV_U, 7, 7, true],
  ];
  for (const [priv, mce, sce, allowed] of gate) {
    for (const insn of ['rdcycle a0', 'rdtime a0', 'rdinstret a0']) {
      test(`${insn} in ${priv === PRV_S ? 'S' : 'U'} with mcounteren=${mce} scounteren=${sce}: ${allowed ? 'allowed' : 'illegal'}`, () => {
        const r = probe(`li t0, ${mce}; csrw mcounteren, t0; li t0, ${sce}; csrw scounteren, t0`, priv, insn);
        if (allowed) assert.equal(r.trapped, false, hartState(r.g.h));
        else assertIllegal(r, insn);
      });
    }
  }

  test('each counter has its own enable bit (cycle=0, time=1, instret=2, hpmcounter3=3)', () => {
    for (const [insn, bit] of [['rdcycle a0', 0], ['rdtime a0', 1], ['rdinstret a0', 2], ['csrr a0, hpmcounter3', 3]] as Array<[string, number]>) {
      for (let en = 0; en < 16; en++) {
        const r = probe(`li t0, ${en}; csrw mcounteren, t0`, PRV_S, insn);
        assert.equal(r.trapped, ((en >> bit) & 1) === 0, `${insn} with mcounteren=${en}`);
      }
    }
  });
});

describe('interrupts', () => {
  test('all six pending and enabled in M: taken in the order MEI, MSI, MTI, SEI, SSI, STI', () => {
    const g = guest(`
      la t0, handler; csrw mtvec, t0
      li s0, 0x80100000; li s1, 0
      li t0, 0xaaa; csrw mie, t0
      li t0, 0x222; csrs mip, t0             # SSIP, STIP, SEIP (software-writable)
      csrsi mstatus, 8
      wait: li t2, 6; blt s1, t2, wait
      end: j end
      handler: csrr t0, mcause; sd t0, 0(s0); addi s0, s0, 8; addi s1, s1, 1
      slli t1, t0, 1; srli t1, t1, 1; li t2, 1; sll t2, t2, t1; csrc mie, t2
      mret`);
    for (const bit of [0x8, 0x80, 0x800]) g.h.setPending(bit, true); // MSIP, MTIP, MEIP lines
    runTo(g, 'end', 10_000);
    const dv = new DataView(g.m.board.bus.ram.buffer);
    const got = Array.from({ length: 6 }, (_, i) => dv.getBigUint64(0x100000 + 8 * i, true));
    assert.deepEqual(got, [11n, 3n, 7n, 9n, 1n, 5n].map((c) => INT | c));
  });

  test('delegated interrupt in S with SIE: taken in S (scause, sepc = next instruction, SPP, SPIE)', () => {
    const g = guest(`${PROLOGUE}
      li t0, 0x222; csrw mideleg, t0
      li t0, 2; csrw mie, t0; csrs mip, t0  # SSIE, SSIP
      la t0, strap; csrw stvec, t0
      ${enter(PRV_S, 'scode')}
      scode: nop
      enable: csrsi sstatus, 2
      next: j next
      strap: j strap
      mtrap: j mtrap`);
    assert.equal(runToAny(g, ['strap', 'mtrap']), 'strap');
    assert.equal(csr(g, Csr.SCAUSE), INT | 1n);
    assert.equal(csr(g, Csr.SEPC), BigInt(g.prog.at('next')));
    const ms = csr(g, Csr.MSTATUS);
    assert.equal(ms & (MS.SPP | MS.SPIE | MS.SIE), MS.SPP | MS.SPIE);
    assert.equal(g.h.getPriv(), PRV_S);
  });

  test('a delegated interrupt is not taken in M (even with MIE and SIE set), and is taken in U even with SIE = 0', () => {
    const g = guest(`${PROLOGUE}
      li t0, 0x222; csrw mideleg, t0
      li t0, 2; csrw mie, t0; csrs mip, t0
      la t0, strap; csrw stvec, t0
      csrsi mstatus, 10                      # MIE, SIE
      nop; nop; nop
      inm: li t0, 2; csrc mstatus, t0        # SIE = 0
      ${enter(PRV_U, 'ucode')}
      ucode: nop
      next: j next
      strap: j strap
      mtrap: j mtrap`);
    assert.equal(runToAny(g, ['inm', 'strap', 'mtrap']), 'inm');
    assert.equal(runToAny(g, ['strap', 'mtrap']), 'strap');
    assert.equal(csr(g, Csr.SCAUSE), INT | 1n);
    assert.equal(csr(g, Csr.MSTATUS) & MS.SPP, 0n, 'from U');
  });

  test('in S, an M-level interrupt is taken regardless of MIE, before a higher-listed S-level one', () => {
    const g = guest(`${PROLOGUE}
      li t0, 0x222; csrw mideleg, t0
      li t0, 0x2a0; csrw mie, t0             # SEIE, MTIE, STIE
      li t0, 0x200; csrs mip, t0             # SEIP (delegated)
      csrci mstatus, 8
      la t0, strap; csrw stvec, t0
      ${enter(PRV_S, 'scode')}
      scode: csrsi sstatus, 2
      next: j next
      strap: j strap
      mtrap: j mtrap`);
    g.h.setPending(0x80, true); // MTIP (not delegated)
    assert.equal(runToAny(g, ['strap', 'mtrap']), 'mtrap');
    assert.equal(csr(g, Csr.MCAUSE), INT | 7n);
    assert.equal(MPP(csr(g, Csr.MSTATUS)), 1n);
  });

  test('WFI waits for an interrupt enabled in mie even with MIE = 0, then resumes without trapping', () => {
    const g = guest(`
      la t0, mtrap; csrw mtvec, t0
      li t0, 8; csrw mie, t0                  # MSIE only; mstatus.MIE = 0
      w: wfi
      after: li a0, 1
      end: j end
      mtrap: j mtrap`);
    const r = g.m.run(1000);
    assert.equal(r.reason, 'idle', 'the only hart waits and no timer is armed');
    assert.equal(g.h.pc, g.prog.at('after'));
    g.h.setPending(0x8, true);
    runTo(g);
    assert.equal(g.h.getX(10), 1n);
    assert.equal(csr(g, Csr.MCAUSE), 0n);
  });

  test('WFI wakes when the CLINT timer fires; with MIE = 1 the timer interrupt is then taken', () => {
    const g = guest(`
      la t0, mtrap; csrw mtvec, t0
      li t0, 0x80; csrw mie, t0
      li t0, 0x200bff8; ld t1, 0(t0); addi t1, t1, 1000
      li t0, 0x2004000; sd t1, 0(t0)          # mtimecmp = now + 1000
      csrsi mstatus, 8
      w: wfi
      after: j after
      mtrap: rdtime a0
      stop: j stop`);
    const r = g.m.run(100_000); // run, not step: WFI must really wait (time jumps to the deadline)
    assert.equal(r.reason, 'budget');
    assert.equal(g.h.pc, g.prog.at('stop'), hartState(g.h));
    assert.equal(csr(g, Csr.MCAUSE), INT | 7n);
    assert.equal(csr(g, Csr.MEPC), BigInt(g.prog.at('after')));
    assert.ok(g.h.getX(10) >= g.h.getX(6), 'time reached mtimecmp');
  });

  test('interrupt while in U with MIE = 0: M-level interrupts are always enabled below M', () => {
    const r = probe('li t0, 8; csrw mie, t0', PRV_U, 'j probe', (g) => g.h.setPending(0x8, true));
    assert.ok(r.trapped);
    assert.equal(r.cause, INT | 3n);
  });

  test('SSIP set by S through sip (delegated) raises the interrupt in S', () => {
    const g = guest(`${PROLOGUE}
      li t0, 0x222; csrw mideleg, t0
      li t0, 2; csrw mie, t0
      la t0, strap; csrw stvec, t0
      ${enter(PRV_S, 'scode')}
      scode: csrsi sstatus, 2
      csrsi sip, 2
      next: j next
      strap: j strap
      mtrap: j mtrap`);
    assert.equal(runToAny(g, ['strap', 'mtrap']), 'strap');
    assert.equal(csr(g, Csr.SCAUSE), INT | 1n);
    assert.equal(csr(g, Csr.SEPC), BigInt(g.prog.at('next')));
  });
});


test('decodeCsr names the fields of status, interrupt, delegation, cause, satp and tvec values', () => {
  assert.equal(decodeCsr(Csr.MSTATUS, (1n << 63n) | BigInt(MSTATUS.MIE | MSTATUS.MPIE | (1 << MSTATUS.MPP_SHIFT) | (3 << MSTATUS.FS_SHIFT) | MSTATUS.SUM)),
    'MIE MPIE SPP=U MPP=S FS=Dirty SUM SD');
  assert.equal(decodeCsr(Csr.SSTATUS, BigInt(MSTATUS.SPP | MSTATUS.SIE)), 'SIE SPP=S FS=Off');
  assert.equal(decodeCsr(Csr.MIP, 0xa0n), 'STIP MTIP');
  assert.equal(decodeCsr(Csr.MIE, 0n), 'none');
  assert.equal(decodeCsr(Csr.MEDELEG, (1n << 8n) | (1n << 13n)), 'ecall from U-mode, load page fault');
  assert.equal(decodeCsr(Csr.SCAUSE, (1n << 63n) | 5n), 'interrupt 5: supervisor timer');
  assert.equal(decodeCsr(Csr.MCAUSE, 15n), 'exception 15: store/AMO page fault');
  assert.equal(decodeCsr(Csr.SATP, (8n << 60n) | (3n << 44n) | 0x80123n), 'Sv39 ASID=3 root=0x80123000');
  assert.equal(decodeCsr(Csr.STVEC, 0x80200101n), 'vectored base=0x80200100');
  assert.equal(decodeCsr(Csr.SSCRATCH, 5n), '');
});
