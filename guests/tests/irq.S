/*
 * irq: interrupts. CLINT software (msip) and timer (mtimecmp) interrupts in M, vectored mtvec,
 * S-level software/timer interrupts taken in M or delegated to S (mideleg), M-level interrupts
 * preempting S even with MIE = 0, priority when several are pending, WFI wake-up, and Sstc
 * (stimecmp, menvcfg.STCE) when the hart has it.
 * The handlers log each interrupt cause (low byte) in irq_log and clear its source.
 */
#include "common.h"

#define MIP_SSIP (1 << 1)
#define MIP_MSIP (1 << 3)
#define MIP_STIP (1 << 5)
#define MIP_MTIP (1 << 7)
#define CSR_STIMECMP 0x14d
#define CSR_MENVCFG 0x30a

/* Clear the interrupt log. */
.macro LOG_RESET
    la t0, irq_n
    sd zero, 0(t0)
.endm
/* Wait (bounded) until irq_n >= n, else fail. */
.macro WAIT_IRQS n
    li t2, 5000000
9995:
    ld t1, irq_n
    li t0, \n
    bge t1, t0, 9994f
    addi t2, t2, -1
    bnez t2, 9995b
    j fail
9994:
.endm
/* irq_log[i] == cause */
.macro CHECK_LOG i, cause
    la t5, irq_log
    ld t5, (\i * 8)(t5)
    CHECK t5, \cause
.endm
.macro CHECK_NIRQ n
    ld t5, irq_n
    CHECK t5, \n
.endm
/* mtimecmp = mtime + delta */
.macro TIMER_IN delta
    li t0, CLINT_MTIME
    ld t1, 0(t0)
    addi t1, t1, \delta
    li t0, CLINT_MTIMECMP
    sd t1, 0(t0)
.endm
/* "Off": far in the future but not all ones. (QEMU 7.2 turns mtimecmp - mtime into a
   nanosecond deadline saturated at INT64_MAX; with -icount sleep=off a gdb single step never
   completes while such a deadline is armed. 2^56 ticks is ~228 years at 10 MHz.) */
#define TIMER_FAR 0x00ffffffffffffff
.macro TIMER_OFF
    li t0, CLINT_MTIMECMP
    li t1, TIMER_FAR
    sd t1, 0(t0)
.endm

    .text
    .globl main
main:
    la t0, irq_m
    csrw mtvec, t0
    TIMER_OFF
    csrw mie, zero

    /* ---- machine software interrupt (msip) ---- */
    NEXT
    LOG_RESET
    li t0, MIP_MSIP
    csrw mie, t0
    csrsi mstatus, MSTATUS_MIE
    li t0, CLINT_MSIP
    li t1, 1
    sw t1, 0(t0)
    WAIT_IRQS 1
    CHECK_LOG 0, 3
    csrr t5, mcause
    CHECK t5, 0x8000000000000003
    csrr t5, mtval
    CHECK t5, 0
    NEXT                             /* after the handler's mret: MIE back on, MPIE 1, MPP M */
    csrr t5, mstatus
    andi t5, t5, MSTATUS_MIE | MSTATUS_MPIE
    CHECK t5, MSTATUS_MIE | MSTATUS_MPIE
    csrci mstatus, MSTATUS_MIE
    NEXT                             /* pending but globally disabled: not taken */
    LOG_RESET
    li t0, CLINT_MSIP
    li t1, 1
    sw t1, 0(t0)
    csrr t5, mip
    andi t5, t5, MIP_MSIP
    CHECK t5, MIP_MSIP
    nop
    nop
    CHECK_NIRQ 0
    csrsi mstatus, MSTATUS_MIE       /* taken as soon as enabled */
    WAIT_IRQS 1
    csrci mstatus, MSTATUS_MIE
    CHECK_LOG 0, 3
    NEXT                             /* MSIP in mip is read-only for csrw */
    csrsi mip, MIP_MSIP
    csrr t5, mip
    andi t5, t5, MIP_MSIP
    CHECK t5, 0

    /* ---- machine timer interrupt ---- */
    NEXT
    LOG_RESET
    li t0, MIP_MTIP
    csrw mie, t0
    TIMER_IN 20
    csrsi mstatus, MSTATUS_MIE
    WAIT_IRQS 1
    csrci mstatus, MSTATUS_MIE
    CHECK_LOG 0, 7
    csrr t5, mcause
    CHECK t5, 0x8000000000000007
    NEXT                             /* mtime advances; MTIP follows mtimecmp */
    li t0, CLINT_MTIME
    ld a0, 0(t0)
    TIMER_IN 0                       /* mtimecmp <= mtime: pending at once */
    csrr t5, mip
    andi t5, t5, MIP_MTIP
    CHECK t5, MIP_MTIP
    TIMER_OFF
    csrr t5, mip
    andi t5, t5, MIP_MTIP
    CHECK t5, 0
    li t0, CLINT_MTIME
    ld a1, 0(t0)
    sltu a2, a1, a0                  /* mtime never goes backwards */
    li a0, 0
    li a1, 0
    CHECK a2, 0

    /* ---- WFI wake-up ----
       (The timer is set far enough ahead that WFI starts first in a real-time run; with -icount
       and sleep=off, QEMU jumps the clock to the deadline as soon as the hart idles.) */
    NEXT                             /* globally disabled: WFI wakes up, nothing is taken... */
    LOG_RESET
    TIMER_IN 1000
    wfi
1:  csrr t5, mip                     /* (WFI may also return early: wait for MTIP) */
    andi t5, t5, MIP_MTIP
    beqz t5, 1b
    CHECK_NIRQ 0
    csrsi mstatus, MSTATUS_MIE       /* ... until enabled */
    WAIT_IRQS 1
    csrci mstatus, MSTATUS_MIE
    CHECK_LOG 0, 7
    NEXT                             /* interrupts enabled: WFI, then the interrupt is taken */
    LOG_RESET
    TIMER_IN 1000
    csrsi mstatus, MSTATUS_MIE
    wfi
    WAIT_IRQS 1
    csrci mstatus, MSTATUS_MIE
    CHECK_LOG 0, 7
    TIMER_OFF
    csrw mie, zero

    /* ---- vectored mtvec: interrupts go to base + 4 * cause ---- */
    NEXT
    LOG_RESET
    la t0, irq_vtab + 1
    csrw mtvec, t0
    li t0, MIP_MSIP | MIP_MTIP
    csrw mie, t0
    li t0, CLINT_MSIP
    li t1, 1
    sw t1, 0(t0)
    csrsi mstatus, MSTATUS_MIE
    WAIT_IRQS 1
    TIMER_IN 10
    WAIT_IRQS 2
    csrci mstatus, MSTATUS_MIE
    CHECK_LOG 0, 0x103               /* the vector slot adds 0x100 to the logged cause */
    CHECK_LOG 1, 0x107
    la t0, irq_m
    csrw mtvec, t0
    csrw mie, zero

    /* ---- S-level interrupts not delegated: taken in M ---- */
    NEXT
    LOG_RESET
    li t0, MIP_SSIP
    csrw mie, t0
    csrs mip, t0
    csrsi mstatus, MSTATUS_MIE
    WAIT_IRQS 1
    csrci mstatus, MSTATUS_MIE
    CHECK_LOG 0, 1
    NEXT
    LOG_RESET
    li t0, MIP_STIP
    csrw mie, t0
    csrs mip, t0                     /* M may set STIP directly (no Sstc in use) */
    csrsi mstatus, MSTATUS_MIE
    WAIT_IRQS 1
    csrci mstatus, MSTATUS_MIE
    CHECK_LOG 0, 5
    csrw mie, zero

    /* ---- priority among interrupts for M: MSI before MTI ----
       (QEMU 7.2 without AIA takes the lowest-numbered pending interrupt for a mode: for MSI/MTI
       and SSI/STI that is the spec order, but with S-level interrupts not delegated it takes SSI
       (1) before MSI (3), where the spec puts MEI > MSI > MTI > SEI > SSI > STI. Only the cases
       where both agree are tested.) */
    NEXT
    LOG_RESET
    li t0, MIP_MSIP | MIP_MTIP
    csrw mie, t0
    TIMER_IN 0
    li t0, CLINT_MSIP
    li t1, 1
    sw t1, 0(t0)
1:  csrr t5, mip                     /* wait until both are pending */
    andi t5, t5, MIP_MSIP | MIP_MTIP
    li t6, MIP_MSIP | MIP_MTIP
    bne t5, t6, 1b
    csrsi mstatus, MSTATUS_MIE
    WAIT_IRQS 2
    csrci mstatus, MSTATUS_MIE
    CHECK_LOG 0, 3
    CHECK_LOG 1, 7
    csrw mie, zero

    /* ---- delegation to S ---- */
    la t0, irq_s
    csrw stvec, t0
    NEXT                             /* a delegated interrupt is never taken in M */
    LOG_RESET
    li t0, MIP_SSIP | MIP_STIP
    csrw mideleg, t0
    csrr t1, mideleg
    CHECKR t1, t0
    csrw mie, t0
    csrsi mstatus, MSTATUS_MIE | MSTATUS_SIE
    csrs mip, MIP_SSIP
    nop
    nop
    nop
    CHECK_NIRQ 0
    NEXT                             /* ... but in S with SIE = 1 it is, through stvec */
    GOTO_S 1f
1:  li t2, 200000
2:  ld t1, irq_n
    bnez t1, 3f
    addi t2, t2, -1
    bnez t2, 2b
3:  GOTO_M
    CHECK_NIRQ 1
    CHECK_LOG 0, 0x201               /* the S handler adds 0x200 */
    csrr t5, scause
    CHECK t5, 0x8000000000000001
    NEXT                             /* in S with SIE = 0: pending, not taken */
    LOG_RESET
    csrci mstatus, MSTATUS_SIE
    csrs mip, MIP_SSIP
    GOTO_S 1f
1:  nop
    nop
    csrr a0, sip
    GOTO_M
    CHECK_NIRQ 0
    andi a0, a0, MIP_SSIP
    CHECK a0, MIP_SSIP
    NEXT                             /* in U, S-level interrupts are taken regardless of SIE */
    GOTO_U 1f
1:  li t2, 200000
2:  ld t1, irq_n
    bnez t1, 3f
    addi t2, t2, -1
    bnez t2, 2b
3:  GOTO_M
    CHECK_NIRQ 1
    CHECK_LOG 0, 0x201
    NEXT                             /* SSI before STI in S */
    LOG_RESET
    li t0, MIP_SSIP | MIP_STIP
    csrs mip, t0
    csrsi mstatus, MSTATUS_SIE
    GOTO_S 1f
1:  li t2, 200000
2:  ld t1, irq_n
    li t0, 2
    bge t1, t0, 3f
    addi t2, t2, -1
    bnez t2, 2b
3:  GOTO_M
    CHECK_NIRQ 2
    CHECK_LOG 0, 0x201
    CHECK_LOG 1, 0x205
    li t0, MIP_STIP
    csrc mip, t0
    csrci mstatus, MSTATUS_SIE
    NEXT                             /* M interrupts preempt S even with mstatus.MIE = 0 */
    LOG_RESET
    li t0, MIP_MTIP
    csrs mie, t0
    csrci mstatus, MSTATUS_MIE
    TIMER_IN 10
    GOTO_S 1f
1:  li t2, 5000000
2:  ld t1, irq_n
    bnez t1, 3f
    addi t2, t2, -1
    bnez t2, 2b
3:  GOTO_M
    CHECK_NIRQ 1
    CHECK_LOG 0, 7
    NEXT                             /* M-level (MTI, to M) before S-level (SSI, delegated) */
    LOG_RESET
    li t0, MIP_MTIP | MIP_SSIP
    csrw mie, t0
    csrsi mip, MIP_SSIP
    TIMER_IN 0
1:  csrr t5, mip
    andi t5, t5, MIP_MTIP
    beqz t5, 1b
    csrsi mstatus, MSTATUS_SIE
    GOTO_S 1f
1:  li t2, 5000000
2:  ld t1, irq_n
    li t0, 2
    bge t1, t0, 3f
    addi t2, t2, -1
    bnez t2, 2b
3:  csrci sstatus, MSTATUS_SIE
    GOTO_M
    CHECK_NIRQ 2
    CHECK_LOG 0, 7
    CHECK_LOG 1, 0x201
    csrw mie, zero
    csrw mideleg, zero

    /* ---- Sstc: stimecmp, when the hart has it ---- */
    NEXT
    li t0, 1
    slli t0, t0, 63                  /* menvcfg.STCE */
    csrs CSR_MENVCFG, t0
    csrr t1, CSR_MENVCFG
    bgez t1, no_sstc
    li t0, 2                         /* mcounteren.TM: S may access stimecmp */
    csrw mcounteren, t0
    li t0, 1
    sd t0, sstc_mode, t1
    LOG_RESET
    li t0, MIP_STIP
    csrw mideleg, t0
    csrw mie, t0
    GOTO_S 1f
1:  csrr t0, time
    addi t0, t0, 20
    csrw CSR_STIMECMP, t0
    csrsi sstatus, MSTATUS_SIE
    li t2, 5000000
2:  ld t1, irq_n
    bnez t1, 3f
    addi t2, t2, -1
    bnez t2, 2b
3:  csrci sstatus, MSTATUS_SIE
    GOTO_M
    CHECK_NIRQ 1
    CHECK_LOG 0, 0x205
    csrr t5, mip                     /* the handler moved stimecmp to the far future */
    andi t5, t5, MIP_STIP
    CHECK t5, 0
    csrw mie, zero
    csrw mideleg, zero
    csrw mcounteren, zero
    li t0, 1
    slli t0, t0, 63
    csrc CSR_MENVCFG, t0
no_sstc:
    j pass

/* ---- M-mode interrupt handler: log the cause, clear the source ---- */
    .align 6
irq_m:
    sd t0, TF_T0(tp)
    sd t1, TF_T1(tp)
    sd t2, TF_T2(tp)
    csrr t0, mcause
    bltz t0, 1f
    ld t0, TF_T0(tp)                 /* an exception: the common handler deals with it */
    ld t1, TF_T1(tp)
    ld t2, TF_T2(tp)
    j trap_m
1:  andi t0, t0, 0xff
irq_m_common:                        /* t0 = cause (+ 0x100 when entered from the vector table) */
    la t1, irq_n
    ld t2, 0(t1)
    slli t2, t2, 3
    add t2, t2, t1
    sd t0, 8(t2)
    ld t2, 0(t1)
    addi t2, t2, 1
    sd t2, 0(t1)
    andi t0, t0, 0xff
    li t1, 3
    bne t0, t1, 2f
    li t1, CLINT_MSIP                /* MSI */
    sw zero, 0(t1)
    j 9f
2:  li t1, 7
    bne t0, t1, 2f
    li t1, CLINT_MTIMECMP            /* MTI */
    li t2, TIMER_FAR
    sd t2, 0(t1)
    j 9f
2:  li t1, 1
    bne t0, t1, 2f
    csrci mip, MIP_SSIP              /* SSI */
    j 9f
2:  li t1, 5
    bne t0, t1, 2f
    li t1, MIP_STIP                  /* STI */
    csrc mip, t1
    j 9f
2:  j fail
9:  ld t0, TF_T0(tp)
    ld t1, TF_T1(tp)
    ld t2, TF_T2(tp)
    mret

/* vectored table: slot 0 takes exceptions, slot n interrupt n */
    .option push
    .option norvc                    /* 4-byte slots */
    .align 6
irq_vtab:
    j trap_m
    j irq_vec_1
    j fail
    j irq_vec_3
    j fail
    j irq_vec_5
    j fail
    j irq_vec_7
    .rept 8
    j fail
    .endr
    .option pop
.irp n, 1, 3, 5, 7
irq_vec_\n:
    sd t0, TF_T0(tp)
    sd t1, TF_T1(tp)
    sd t2, TF_T2(tp)
    li t0, 0x100 + \n
    j irq_m_common
.endr

/* ---- S-mode interrupt handler ---- */
    .align 6
irq_s:
    sd t0, TF_S_T0(tp)
    sd t1, TF_S_T1(tp)
    sd t2, TF_S_T2(tp)
    csrr t0, scause
    bltz t0, 1f
    ld t0, TF_S_T0(tp)
    ld t1, TF_S_T1(tp)
    ld t2, TF_S_T2(tp)
    j trap_s
1:  andi t0, t0, 0xff
    ori t0, t0, 0x200
    la t1, irq_n
    ld t2, 0(t1)
    slli t2, t2, 3
    add t2, t2, t1
    sd t0, 8(t2)
    ld t2, 0(t1)
    addi t2, t2, 1
    sd t2, 0(t1)
    andi t0, t0, 0xff
    li t1, 1
    bne t0, t1, 2f
    csrci sip, MIP_SSIP              /* SSI: S can clear it */
    j 9f
2:  li t1, 5
    bne t0, t1, 2f
    /* STI: S cannot clear STIP; with Sstc push stimecmp away, otherwise mask it in sie
       (M clears STIP later) */
    ld t1, sstc_mode
    beqz t1, 3f
    li t1, TIMER_FAR
    csrw CSR_STIMECMP, t1
    j 9f
3:  li t2, MIP_STIP
    csrc sie, t2
    j 9f
2:  j fail
9:  ld t0, TF_S_T0(tp)
    ld t1, TF_S_T1(tp)
    ld t2, TF_S_T2(tp)
    sret

    .data
    .align 4
sstc_mode: .dword 0
irq_n:   .dword 0
irq_log: .space 8 * 16
