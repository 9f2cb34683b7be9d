/*
 * traps: synchronous traps in M, S and U mode, delegation (medeleg) to S, MRET/SRET and the
 * mstatus stack bits, TW/TSR/TVM, counter enables (mcounteren/scounteren), counting
 * (minstret/mcycle), WFI.
 */
#include "common.h"

.macro CHECK_MSTATUS_FIELD shift, mask, value
    csrr t5, mstatus
    srli t5, t5, \shift
    andi t5, t5, \mask
    CHECK t5, \value
.endm

    .text
    .globl main
main:
    /* ---- illegal instructions in M: mtval holds the instruction bits ---- */
    NEXT
    EXPECT_TRAP
1:  .word 0xc0001073                 /* csrrw zero, cycle, zero: write to a read-only CSR */
    CHECK_TRAP CAUSE_ILLEGAL, 0xc0001073
    CHECK_TRAP_EPC 1b
    CHECK_TRAP_PRIV 3
    NEXT
    EXPECT_TRAP
    .word 0x0000005b                 /* reserved major opcode */
    CHECK_TRAP CAUSE_ILLEGAL, 0x0000005b
    NEXT
    EXPECT_TRAP
    csrr a0, 0x7ff                   /* no such CSR */
    CHECK_TRAP CAUSE_ILLEGAL, 0x7ff02573
    NEXT
    EXPECT_TRAP
    csrw mvendorid, a0               /* read-only CSR */
    CHECK_TRAP_CAUSE CAUSE_ILLEGAL
    NEXT
    csrr a0, mhartid                 /* reading it is fine */
    CHECK a0, 0
    csrr a0, mvendorid
    csrr a0, marchid
    csrr a0, mimpid

    /* ---- ecall / ebreak in M ---- */
    NEXT
    li a7, 0
    EXPECT_TRAP
1:  ecall
    CHECK_TRAP CAUSE_ECALL_M, 0
    CHECK_TRAP_EPC 1b
    NEXT
    EXPECT_TRAP
1:  ebreak
    CHECK_TRAP_CAUSE CAUSE_BREAKPOINT
    CHECK_TRAP_EPC 1b
    NEXT                             /* mstatus after an M trap and MRET: MIE restored from MPIE */
    CHECK_MSTATUS_FIELD 3, 1, 0      /* MIE */
    CHECK_MSTATUS_FIELD 7, 1, 1      /* MPIE = 1 after mret */
    CHECK_MSTATUS_FIELD 11, 3, 0     /* MPP = U (the least-privileged mode) after mret */

    /* ---- access faults: nothing at physical address 0 ---- */
    NEXT
    EXPECT_TRAP
    ld a0, 0(zero)
    CHECK_TRAP CAUSE_LOAD_ACCESS, 0
    NEXT
    EXPECT_TRAP
    sw a0, 16(zero)
    CHECK_TRAP CAUSE_STORE_ACCESS, 16
    NEXT
    li s0, 0x10000800                /* a hole after the UART */
    EXPECT_TRAP
    lw a0, 0(s0)
    CHECK_TRAP_R CAUSE_LOAD_ACCESS, s0
    NEXT                             /* instruction fetch from an unmapped address */
    RESUME_AT 2f
    EXPECT_TRAP
    li t0, 0x100
1:  jalr t0
2:  CHECK_TRAP CAUSE_FETCH_ACCESS, 0x100
    ld t5, TF_EPC(tp)
    CHECK t5, 0x100
    la t5, 2b                        /* ra: the link was written before the fetch fault */
    CHECKR ra, t5

    /* ---- mtvec: vectored mode sends exceptions to the base ---- */
    NEXT
    la t0, vtab + 1
    csrw mtvec, t0
    csrr t1, mtvec
    CHECKR t0, t1
    li a7, 0
    EXPECT_TRAP
    ecall
    CHECK_TRAP CAUSE_ECALL_M, 0
    NEXT                             /* mode 2 is reserved: QEMU keeps the old value (WARL) */
    la t0, trap_m
    ori t1, t0, 2
    csrw mtvec, t1
    csrr t2, mtvec
    la t5, vtab + 1
    CHECKR t2, t5
    csrw mtvec, t0
    csrr t2, mtvec
    CHECKR t2, t0

    /* ---- ecall from S and U (not delegated): trap to M ---- */
    NEXT
    GOTO_S 1f
1:  li a7, 0
    EXPECT_TRAP
2:  ecall
    GOTO_M
    CHECK_TRAP CAUSE_ECALL_S, 0
    CHECK_TRAP_PRIV 1
    CHECK_TRAP_EPC 2b
    NEXT
    GOTO_U 1f
1:  li a7, 0
    EXPECT_TRAP
2:  ecall
    GOTO_M
    CHECK_TRAP CAUSE_ECALL_U, 0
    CHECK_TRAP_PRIV 0
    CHECK_TRAP_EPC 2b
    NEXT                             /* M-mode CSRs are not accessible from S or U */
    GOTO_S 1f
1:  EXPECT_TRAP
    csrr a0, mstatus
    GOTO_M
    CHECK_TRAP CAUSE_ILLEGAL, 0x30002573
    CHECK_TRAP_PRIV 1
    NEXT
    GOTO_U 1f
1:  EXPECT_TRAP
    csrr a0, sstatus
    GOTO_M
    CHECK_TRAP CAUSE_ILLEGAL, 0x10002573
    CHECK_TRAP_PRIV 0
    NEXT                             /* xRET from a lower mode is illegal */
    GOTO_S 1f
1:  EXPECT_TRAP
    mret
    GOTO_M
    CHECK_TRAP CAUSE_ILLEGAL, 0x30200073
    NEXT
    GOTO_U 1f
1:  EXPECT_TRAP
    sret
    GOTO_M
    CHECK_TRAP CAUSE_ILLEGAL, 0x10200073
    NEXT
    GOTO_U 1f
1:  EXPECT_TRAP
    wfi                              /* WFI in U is illegal whenever S exists */
    GOTO_M
    CHECK_TRAP CAUSE_ILLEGAL, 0x10500073

    /* ---- medeleg: delegate to S ---- */
    NEXT
    la t0, trap_s
    csrw stvec, t0
    /* (QEMU 7.2's medeleg also accepts bit 11, ECALL from M, which the spec makes read-only 0,
       and the guest-page-fault bits: so only the bits used here are written and checked.) */
    li t0, (1 << 2) | (1 << 3) | (1 << 5) | (1 << 7) | (1 << 8) | (1 << 12) | (1 << 13) | (1 << 15)
    csrw medeleg, t0
    csrr t1, medeleg
    CHECKR t1, t0
    csrw medeleg, t0
    NEXT                             /* illegal instruction in U goes to S */
    GOTO_U 1f
1:  EXPECT_TRAP
2:  csrr a0, mscratch
    GOTO_M
    CHECK_TRAP CAUSE_ILLEGAL, 0x34002573
    CHECK_TRAP_PRIV 0
    CHECK_TRAP_EPC 2b
    /* (scause/sepc now describe the GOTO_M ecall, which went through the S handler) */
    NEXT                             /* ecall from U goes to S */
    csrw scause, zero
    GOTO_U 1f
1:  li a7, 0
    EXPECT_TRAP
    ecall
    GOTO_M
    CHECK_TRAP CAUSE_ECALL_U, 0
    csrr t5, scause
    CHECK t5, CAUSE_ECALL_U
    CHECK_MSTATUS_FIELD 8, 1, 0      /* SPP = U (after sret it is U again) */
    NEXT                             /* in S: illegal and ebreak go to S with SPP = S */
    GOTO_S 1f
1:  EXPECT_TRAP
    csrr a0, mepc
    csrr a1, sstatus                 /* after sret: SPP was S, now cleared to U */
    EXPECT_TRAP
2:  ebreak
    GOTO_M
    CHECK_TRAP_CAUSE CAUSE_BREAKPOINT
    CHECK_TRAP_PRIV 1
    CHECK_TRAP_EPC 2b
    srli a1, a1, 8
    andi a1, a1, 1
    CHECK a1, 0
    NEXT                             /* S-mode load access fault delegated */
    GOTO_S 1f
1:  EXPECT_TRAP
    lw a0, 8(zero)
    GOTO_M
    CHECK_TRAP CAUSE_LOAD_ACCESS, 8
    csrr t5, scause
    CHECK t5, CAUSE_LOAD_ACCESS
    NEXT                             /* traps taken in M are never delegated */
    EXPECT_TRAP
    .word 0x0000005b
    CHECK_TRAP CAUSE_ILLEGAL, 0x5b
    csrr t5, mcause
    CHECK t5, CAUSE_ILLEGAL
    NEXT                             /* ecall from S is not delegated here: goes to M */
    GOTO_S 1f
1:  li a7, 0
    EXPECT_TRAP
    ecall
    GOTO_M
    CHECK_TRAP_CAUSE CAUSE_ECALL_S
    csrr t5, mcause                  /* the last M trap: the GOTO_M ecall, also from S */
    CHECK t5, CAUSE_ECALL_S
    csrw medeleg, zero

    /* ---- MRET / SRET and the interrupt-enable stack ---- */
    NEXT                             /* mret: MIE <- MPIE, MPIE <- 1, MPP <- U, priv <- MPP */
    li t0, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP
    csrc mstatus, t0
    li t0, MSTATUS_MPIE | MSTATUS_MPP_S
    csrs mstatus, t0
    la t0, 1f
    csrw mepc, t0
    mret
1:  csrr a0, sstatus                 /* S-mode now (sstatus is accessible) */
    GOTO_M                           /* the trap pushes MIE (1) into MPIE; mret pops it back */
    CHECK_MSTATUS_FIELD 3, 1, 1      /* MIE */
    CHECK_MSTATUS_FIELD 7, 1, 1      /* MPIE */
    CHECK_MSTATUS_FIELD 11, 3, 0     /* MPP */
    li t0, MSTATUS_MIE
    csrc mstatus, t0
    /* (Not tested: priv 1.12 has MRET/SRET to a mode below M clear MPRV; QEMU 7.2 does not.) */
    NEXT                             /* sret: SIE <- SPIE, SPIE <- 1, SPP <- U, priv <- SPP */
    GOTO_S 1f
1:  li t0, MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_SIE
    csrc sstatus, t0
    li t0, MSTATUS_SPIE              /* SPP = U */
    csrs sstatus, t0
    la t0, 2f
    csrw sepc, t0
    sret
2:  EXPECT_TRAP
    csrr a0, sstatus                 /* in U: illegal */
    GOTO_M
    CHECK_TRAP_PRIV 0
    CHECK_MSTATUS_FIELD 1, 1, 1      /* SIE <- SPIE */
    CHECK_MSTATUS_FIELD 5, 1, 1      /* SPIE <- 1 */
    CHECK_MSTATUS_FIELD 8, 1, 0      /* SPP <- U */
    li t0, MSTATUS_SIE
    csrc mstatus, t0
    NEXT                             /* sret from S to S */
    GOTO_S 1f
1:  li t0, MSTATUS_SPP | MSTATUS_SPIE
    csrs sstatus, t0
    la t0, 2f
    csrw sepc, t0
    sret
2:  csrr a0, sstatus                 /* still S: SIE = 1 (from SPIE), SPIE = 1, SPP = U */
    GOTO_M
    andi t5, a0, MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP
    CHECK t5, MSTATUS_SIE | MSTATUS_SPIE
    li t0, MSTATUS_SIE
    csrc mstatus, t0

    /* ---- TW, TSR, TVM ---- */
    NEXT                             /* TW: WFI in S is illegal */
    li t0, MSTATUS_TW
    csrs mstatus, t0
    GOTO_S 1f
1:  EXPECT_TRAP
    wfi
    GOTO_M
    CHECK_TRAP CAUSE_ILLEGAL, 0x10500073
    CHECK_TRAP_PRIV 1
    li t0, MSTATUS_TW
    csrc mstatus, t0
    NEXT                             /* without TW, WFI in S with an enabled pending interrupt returns */
    li t0, 2                         /* SSIP delegated to S, enabled in sie, but SIE = 0 */
    csrw mideleg, t0
    csrw mie, t0
    csrs mip, t0
    GOTO_S 1f
1:  wfi
    csrc sip, 2
    GOTO_M
    csrw mie, zero
    csrw mideleg, zero
    NEXT                             /* TSR: SRET in S is illegal */
    li t0, MSTATUS_TSR
    csrs mstatus, t0
    GOTO_S 1f
1:  EXPECT_TRAP
    sret
    GOTO_M
    CHECK_TRAP CAUSE_ILLEGAL, 0x10200073
    li t0, MSTATUS_TSR
    csrc mstatus, t0
    NEXT                             /* TVM: satp and SFENCE.VMA in S are illegal */
    li t0, MSTATUS_TVM
    csrs mstatus, t0
    GOTO_S 1f
1:  EXPECT_TRAP
    csrr a0, satp
    EXPECT_TRAP
    sfence.vma
    GOTO_M
    CHECK_TRAP CAUSE_ILLEGAL, 0x12000073
    li t0, MSTATUS_TVM
    csrc mstatus, t0
    NEXT                             /* without TVM both are fine in S */
    GOTO_S 1f
1:  csrr a0, satp
    sfence.vma
    GOTO_M
    CHECK a0, 0

    /* ---- counter enables ---- */
    NEXT
    csrw mcounteren, zero
    csrw scounteren, zero
    GOTO_S 1f
1:  EXPECT_TRAP
    rdcycle a0
    EXPECT_TRAP
    rdtime a0
    EXPECT_TRAP
    rdinstret a0
    GOTO_M
    CHECK_TRAP CAUSE_ILLEGAL, 0xc0202573
    NEXT                             /* mcounteren lets S read them */
    li t0, 7
    csrw mcounteren, t0
    GOTO_S 1f
1:  rdcycle a0
    rdtime a1
    rdinstret a2
    li a0, 0                         /* (the values themselves differ between implementations) */
    li a1, 0
    li a2, 0
    EXPECT_TRAP                      /* ... but not U, without scounteren */
    li t0, MSTATUS_SPP               /* sret to U */
    csrc sstatus, t0
    la t0, 2f
    csrw sepc, t0
    sret
2:  rdinstret a0
    GOTO_M
    CHECK_TRAP CAUSE_ILLEGAL, 0xc0202573
    CHECK_TRAP_PRIV 0
    NEXT                             /* scounteren lets U read the ones mcounteren allows */
    li t0, 5                         /* CY and IR */
    csrw scounteren, t0
    GOTO_U 1f
1:  rdcycle a0
    rdinstret a0
    li a0, 0
    EXPECT_TRAP
    rdtime a0
    GOTO_M
    CHECK_TRAP CAUSE_ILLEGAL, 0xc0102573
    NEXT
    li t0, 2                         /* TM in scounteren but not in mcounteren */
    csrw mcounteren, t0
    li t0, 7
    csrw scounteren, t0
    GOTO_U 1f
1:  rdtime a0
    li a0, 0
    EXPECT_TRAP
    rdcycle a0
    GOTO_M
    CHECK_TRAP CAUSE_ILLEGAL, 0xc0002573
    csrw mcounteren, zero
    csrw scounteren, zero

    /* ---- minstret / mcycle count ----
       Without -icount QEMU counts host ticks, with -icount virtual nanoseconds: only check that
       they move forward, by at least the number of instructions in between. */
    NEXT
    csrr a0, minstret
    nop
    nop
    nop
    nop
    nop
    nop
    nop
    nop
    csrr a1, minstret
    sub a2, a1, a0
    li a0, 0
    li a1, 0
    sltiu a3, a2, 9
    li a2, 0
    CHECK a3, 0
    NEXT
    csrr a0, mcycle
    nop
    nop
    csrr a1, mcycle
    sltu a2, a0, a1
    li a0, 0
    li a1, 0
    CHECK a2, 1
    NEXT                             /* writable */
    li t0, 0x7000000000000000
    csrw minstret, t0
    csrr a0, minstret
    sltu a0, a0, t0
    CHECK a0, 0
    NEXT
    li t0, 0x7000000000000000
    csrw mcycle, t0
    csrr a0, mcycle
    sltu a0, a0, t0
    CHECK a0, 0

    /* ---- WFI in M with an enabled pending interrupt (MIE = 0) returns at once ---- */
    NEXT
    li t0, 8                         /* MSIE */
    csrw mie, t0
    li s0, CLINT_MSIP
    li t0, 1
    sw t0, 0(s0)
1:  csrr t1, mip
    andi t1, t1, 8
    beqz t1, 1b
    wfi
    sw zero, 0(s0)
1:  csrr t1, mip
    andi t1, t1, 8
    bnez t1, 1b
    csrw mie, zero
    j pass

    .option push
    .option norvc                    /* 4-byte slots */
    .align 6
vtab:
    j trap_m
    .rept 15
    j fail
    .endr
    .option pop
