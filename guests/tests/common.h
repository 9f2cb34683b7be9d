/*
 * Shared definitions for the rvisor test guests (bare metal, M-mode, virt board).
 *
 * Register conventions used by every guest:
 *   gp (x3)  current test number (reported on failure)
 *   tp (x4)  address of the trap frame `trapf` (never changed by tests)
 *   t6 (x31) scratch used by the CHECK macros
 * The common trap handlers (start.S) record cause/tval/epc/previous privilege
 * in the trap frame, fail unless a trap was announced with EXPECT_TRAP,
 * and resume after the trapping instruction (or at the address set with RESUME_AT).
 */
#ifndef RVISOR_TEST_COMMON_H
#define RVISOR_TEST_COMMON_H

#define TESTDEV     0x100000
#define UART0       0x10000000
#define CLINT       0x2000000
#define CLINT_MSIP  (CLINT + 0x0)
#define CLINT_MTIMECMP (CLINT + 0x4000)
#define CLINT_MTIME (CLINT + 0xbff8)

/* trap frame offsets */
#define TF_T0      0
#define TF_T1      8
#define TF_T2      16
#define TF_CAUSE   24
#define TF_TVAL    32
#define TF_EPC     40
#define TF_PRIV    48
#define TF_COUNT   56
#define TF_RESUME  64
#define TF_EXPECT  72
#define TF_T3      80
/* the S-mode handler saves its registers apart: it may call into the M-mode one */
#define TF_S_T0    88
#define TF_S_T1    96
#define TF_S_T2    104
#define TF_MRESUME 112
#define TF_SIZE    128

/* a7 value that makes an ECALL (from U, S or M, not delegated) return in M-mode */
#define ECALL_TO_M 0x4d

#define MSTATUS_SIE  (1 << 1)
#define MSTATUS_MIE  (1 << 3)
#define MSTATUS_SPIE (1 << 5)
#define MSTATUS_MPIE (1 << 7)
#define MSTATUS_SPP  (1 << 8)
#define MSTATUS_MPP  (3 << 11)
#define MSTATUS_MPP_S (1 << 11)
#define MSTATUS_FS   (3 << 13)
#define MSTATUS_MPRV (1 << 17)
#define MSTATUS_SUM  (1 << 18)
#define MSTATUS_MXR  (1 << 19)
#define MSTATUS_TVM  (1 << 20)
#define MSTATUS_TW   (1 << 21)
#define MSTATUS_TSR  (1 << 22)

#define CAUSE_MISALIGNED_FETCH 0
#define CAUSE_FETCH_ACCESS 1
#define CAUSE_ILLEGAL 2
#define CAUSE_BREAKPOINT 3
#define CAUSE_MISALIGNED_LOAD 4
#define CAUSE_LOAD_ACCESS 5
#define CAUSE_MISALIGNED_STORE 6
#define CAUSE_STORE_ACCESS 7
#define CAUSE_ECALL_U 8
#define CAUSE_ECALL_S 9
#define CAUSE_ECALL_M 11
#define CAUSE_FETCH_PAGE 12
#define CAUSE_LOAD_PAGE 13
#define CAUSE_STORE_PAGE 15

/* Start test number n. */
.macro TEST n
    li gp, \n
.endm

/* Fail the current test unless reg == expected (any 64-bit constant).
   Built with -DKEEPGOING (debugging only), a mismatch is printed and the test goes on. */
.macro CHECK reg, expected
    li t6, \expected
    beq \reg, t6, 9998f
#ifdef KEEPGOING
    mv t5, \reg
    jal t4, mismatch
#else
    j fail
#endif
9998:
.endm

/* Fail the current test unless reg1 == reg2. */
.macro CHECKR reg1, reg2
    beq \reg1, \reg2, 9998f
    j fail
9998:
.endm

/* Fail the current test unless the float register holds the given bits (via t5). */
.macro CHECKFD freg, bits
    fmv.x.d t5, \freg
    CHECK t5, \bits
.endm
.macro CHECKFS freg, bits
    fmv.x.w t5, \freg
    CHECK t5, \bits
.endm

/* Check and clear fflags. */
.macro CHECKFLAGS expected
    csrrci t5, fflags, 0x1f
    CHECK t5, \expected
.endm

/* Announce that the next trap is expected. */
.macro EXPECT_TRAP
    li t6, 1
    sd t6, TF_EXPECT(tp)
    sd zero, TF_CAUSE(tp)
.endm

/* After an expected trap: check the recorded cause and tval. */
.macro CHECK_TRAP cause, tval
    ld t5, TF_CAUSE(tp)
    CHECK t5, \cause
    ld t5, TF_TVAL(tp)
    CHECK t5, \tval
    ld t5, TF_EXPECT(tp)
    CHECK t5, 0
.endm
.macro CHECK_TRAP_R cause, reg
    ld t5, TF_CAUSE(tp)
    CHECK t5, \cause
    ld t5, TF_TVAL(tp)
    CHECKR t5, \reg
.endm
.macro CHECK_TRAP_CAUSE cause
    ld t5, TF_CAUSE(tp)
    CHECK t5, \cause
.endm
.macro CHECK_TRAP_PRIV priv
    ld t5, TF_PRIV(tp)
    CHECK t5, \priv
.endm
.macro CHECK_TRAP_EPC label
    ld t5, TF_EPC(tp)
    la t6, \label
    CHECKR t5, t6
.endm

/* Make the next trap handler return to `label` instead of after the trapping instruction. */
.macro RESUME_AT label
    la t6, \label
    sd t6, TF_RESUME(tp)
.endm

/* Make the next GOTO_M (ECALL_TO_M) return to `label` (in M) instead of after the ECALL. */
.macro M_RESUME_AT label
    la t6, \label
    sd t6, TF_MRESUME(tp)
.endm

/* From M-mode, continue at `label` in S-mode (MPP=S) or U-mode (MPP=U), with MPIE=0. */
.macro GOTO_S label
    li t6, MSTATUS_MPP | MSTATUS_MPIE
    csrc mstatus, t6
    li t6, MSTATUS_MPP_S
    csrs mstatus, t6
    la t6, \label
    csrw mepc, t6
    mret
.endm
.macro GOTO_U label
    li t6, MSTATUS_MPP | MSTATUS_MPIE
    csrc mstatus, t6
    la t6, \label
    csrw mepc, t6
    mret
.endm

/* From U/S (or M): come back to M-mode at the next instruction (clobbers a7). */
.macro GOTO_M
    li a7, ECALL_TO_M
    ecall
.endm


/* Auto-numbered tests: NEXT starts the next test (numbers whose low byte is 0 are skipped,
   since QEMU's exit status is the low byte of the failure code). */
.set _tn, 0
.macro NEXT
    .set _tn, _tn + 1
    .if (_tn & 0xff) == 0
    .set _tn, _tn + 1
    .endif
    li gp, _tn
.endm

/* rd = rs1 op rs2 with rs1 = a, rs2 = b; check against exp. */
.macro RR op, a, b, exp
    NEXT
    li a0, \a
    li a1, \b
    \op a2, a0, a1
    CHECK a2, \exp
.endm
/* rd = rs1 op imm */
.macro RI op, a, imm, exp
    NEXT
    li a0, \a
    \op a2, a0, \imm
    CHECK a2, \exp
.endm
/* rd = op rs1 */
.macro R1 op, a, exp
    NEXT
    li a0, \a
    \op a2, a0
    CHECK a2, \exp
.endm

#endif
