/*
 * rv64a: LR/SC success and failure, every AMO in .W and .D (sign extension of .W results),
 * aq/rl variants, misaligned LR/SC/AMO traps.
 */
#include "common.h"

/* AMO op, initial memory value, operand, expected old value (rd), expected new memory */
.macro AMOD op, init, src, rd_exp, mem_exp
    NEXT
    la s0, adata
    li a0, \init
    sd a0, 0(s0)
    li a1, \src
    \op a2, a1, (s0)
    CHECK a2, \rd_exp
    ld a3, 0(s0)
    CHECK a3, \mem_exp
.endm
.macro AMOW op, init, src, rd_exp, mem_exp
    NEXT
    la s0, adata
    li a0, 0x5a5a5a5a5a5a5a5a
    sd a0, 0(s0)
    li a0, \init
    sw a0, 0(s0)
    li a1, \src
    \op a2, a1, (s0)
    CHECK a2, \rd_exp
    lwu a3, 0(s0)
    CHECK a3, \mem_exp
    lwu a3, 4(s0)                       /* the other half is untouched */
    CHECK a3, 0x5a5a5a5a
.endm

/* cause 6 (spec) or 4 (QEMU 7.2), tval = address */
.macro CHECK_AMO_MISALIGNED reg
    ld t5, TF_CAUSE(tp)
    li t6, CAUSE_MISALIGNED_LOAD
    beq t5, t6, 9997f
    CHECK t5, CAUSE_MISALIGNED_STORE
9997:
    ld t5, TF_TVAL(tp)
    CHECKR t5, \reg
.endm

    .text
    .globl main
main:
    /* ---- LR/SC ---- */
    la s0, adata
    NEXT                                /* SC without a reservation fails */
    li a0, 111
    sd a0, 0(s0)
    li a1, 222
    sc.d a2, a1, (s0)
    bnez a2, 1f
    j fail
1:  ld a3, 0(s0)
    CHECK a3, 111
    NEXT                                /* LR then SC succeeds */
    lr.d a2, (s0)
    CHECK a2, 111
    addi a2, a2, 1
    sc.d a3, a2, (s0)
    CHECK a3, 0
    ld a4, 0(s0)
    CHECK a4, 112
    NEXT                                /* a second SC without a new LR fails */
    li a1, 999
    sc.d a3, a1, (s0)
    bnez a3, 1f
    j fail
1:  ld a4, 0(s0)
    CHECK a4, 112
    NEXT                                /* SC to another address than the LR fails */
    lr.d a2, (s0)
    li a1, 5
    addi s1, s0, 8
    sc.d a3, a1, (s1)
    bnez a3, 1f
    j fail
1:  ld a4, 8(s0)
    CHECK a4, 0
    NEXT                                /* a store of another value in between: SC fails */
    lr.d a2, (s0)
    li a1, 77
    sd a1, 0(s0)
    li a1, 78
    sc.d a3, a1, (s0)
    bnez a3, 1f
    j fail
1:  ld a4, 0(s0)
    CHECK a4, 77
    NEXT                                /* LR.W sign-extends, SC.W writes 32 bits */
    li a0, 0x1122334480000001
    sd a0, 0(s0)
    lr.w a2, (s0)
    CHECK a2, 0xffffffff80000001
    li a1, 0x7fffffff
    sc.w a3, a1, (s0)
    CHECK a3, 0
    ld a4, 0(s0)
    CHECK a4, 0x112233447fffffff
    NEXT                                /* aq/rl variants */
    lr.w.aq a2, (s0)
    sc.w.rl a3, a2, (s0)
    CHECK a3, 0
    lr.d.aqrl a2, (s0)
    sc.d.aqrl a3, a2, (s0)
    CHECK a3, 0
    ld a4, 0(s0)
    CHECK a4, 0x112233447fffffff
    NEXT                                /* LR/SC retry loop (atomic increment) */
    li a0, 41
    sd a0, 16(s0)
    addi s1, s0, 16
1:  lr.d a2, (s1)
    addi a2, a2, 1
    sc.d a3, a2, (s1)
    bnez a3, 1b
    ld a4, 16(s0)
    CHECK a4, 42

    /* ---- AMO .D ---- */
    AMOD amoswap.d, 0x1111, 0x2222, 0x1111, 0x2222
    AMOD amoadd.d, 0x7fffffffffffffff, 1, 0x7fffffffffffffff, 0x8000000000000000
    AMOD amoand.d, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0xff00ff00ff00ff00, 0x0f000f000f000f00
    AMOD amoor.d, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0xff00ff00ff00ff00, 0xfff0fff0fff0fff0
    AMOD amoxor.d, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0xff00ff00ff00ff00, 0xf0f0f0f0f0f0f0f0
    AMOD amomax.d, -5, 3, -5, 3
    AMOD amomax.d, 5, -3, 5, 5
    AMOD amomaxu.d, -5, 3, -5, -5
    AMOD amomaxu.d, 5, -3, 5, -3
    AMOD amomin.d, -5, 3, -5, -5
    AMOD amomin.d, 5, -3, 5, -3
    AMOD amominu.d, -5, 3, -5, 3
    AMOD amominu.d, 5, -3, 5, 5
    AMOD amoadd.d.aq, 10, 20, 10, 30
    AMOD amoadd.d.rl, 10, -20, 10, -10
    AMOD amoswap.d.aqrl, -1, 0, -1, 0

    /* ---- AMO .W: 32-bit operation, old value sign-extended ---- */
    AMOW amoswap.w, 0x80000000, 0x12345678, 0xffffffff80000000, 0x12345678
    AMOW amoadd.w, 0x7fffffff, 1, 0x7fffffff, 0x80000000
    AMOW amoadd.w, 0xffffffff, 0x100000001, -1, 0          /* upper bits of rs2 ignored */
    AMOW amoand.w, 0xf0f0f0f0, 0xff00ff00, 0xfffffffff0f0f0f0, 0xf000f000
    AMOW amoor.w, 0x0f0f0f0f, 0xff00ff00, 0x0f0f0f0f, 0xff0fff0f
    AMOW amoxor.w, 0x0f0f0f0f, 0xffffffff, 0x0f0f0f0f, 0xf0f0f0f0
    AMOW amomax.w, 0x80000000, 1, 0xffffffff80000000, 1
    AMOW amomax.w, 5, 0xffffffff, 5, 5                      /* rs2 low word is -1 */
    AMOW amomaxu.w, 0x80000000, 1, 0xffffffff80000000, 0x80000000
    AMOW amomaxu.w, 5, 0x1fffffff0, 5, 0xfffffff0
    AMOW amomin.w, 0x80000000, 1, 0xffffffff80000000, 0x80000000
    AMOW amomin.w, 5, 0xfffffffe, 5, 0xfffffffe
    AMOW amominu.w, 0x80000000, 1, 0xffffffff80000000, 1
    AMOW amominu.w, 5, 0x100000000, 5, 0                    /* rs2 low word is 0 */
    AMOW amoor.w.aq, 1, 2, 1, 3
    AMOW amoand.w.rl, 3, 6, 3, 2
    AMOW amomax.w.aqrl, 3, 6, 3, 6

    /* rd == x0 and rd == rs2 */
    NEXT
    la s0, adata
    li a0, 7
    sd a0, 0(s0)
    li a1, 3
    amoadd.d zero, a1, (s0)
    ld a2, 0(s0)
    CHECK a2, 10
    amoswap.d a1, a1, (s0)
    CHECK a1, 10
    ld a2, 0(s0)
    CHECK a2, 3
    /* AMO on the second word of a doubleword */
    NEXT
    li a0, 0x0000000500000009
    sd a0, 0(s0)
    addi s1, s0, 4
    li a1, -6
    amoadd.w a2, a1, (s1)
    CHECK a2, 5
    ld a3, 0(s0)
    CHECK a3, 0xffffffff00000009

    /* ---- misaligned: LR raises load address misaligned; AMOs store/AMO address misaligned (6)
       per the spec, but QEMU 7.2 reports load address misaligned (4): both are accepted here. ---- */
    NEXT
    addi s1, s0, 4
    EXPECT_TRAP
    amoadd.d a2, a1, (s1)
    CHECK_AMO_MISALIGNED s1
    NEXT
    addi s1, s0, 2
    EXPECT_TRAP
    amoswap.w a2, a1, (s1)
    CHECK_AMO_MISALIGNED s1
    NEXT
    addi s1, s0, 1
    EXPECT_TRAP
    amomaxu.w.aqrl a2, a1, (s1)
    CHECK_AMO_MISALIGNED s1
    NEXT
    addi s1, s0, 1
    EXPECT_TRAP
    lr.w a2, (s1)
    CHECK_TRAP_R CAUSE_MISALIGNED_LOAD, s1
    NEXT
    addi s1, s0, 4
    EXPECT_TRAP
    lr.d a2, (s1)
    CHECK_TRAP_R CAUSE_MISALIGNED_LOAD, s1
    NEXT                                /* the destination register is not written */
    li a2, 0x1234
    addi s1, s0, 3
    EXPECT_TRAP
    amoor.d a2, a1, (s1)
    CHECK a2, 0x1234
    /* ---- access faults: nothing at physical address 0 ---- */
    NEXT
    EXPECT_TRAP
    amoadd.w a2, a1, (zero)
    /* store/AMO access fault (7) per the spec; QEMU 7.2 reports a load access fault (5) */
    ld t5, TF_CAUSE(tp)
    li t6, CAUSE_LOAD_ACCESS
    beq t5, t6, 1f
    CHECK t5, CAUSE_STORE_ACCESS
1:  ld t5, TF_TVAL(tp)
    CHECK t5, 0
    NEXT
    li s1, 8
    EXPECT_TRAP
    lr.d a2, (s1)
    CHECK_TRAP CAUSE_LOAD_ACCESS, 8
    j pass

    .data
    .align 4
adata:
    .space 64
