/*
 * Common runtime of the rvisor test guests: entry point, pass/fail exits
 * (SiFive test device + tohost), and the default M-mode and S-mode trap handlers.
 */
#include "common.h"

    .section .text.init, "ax"
    .globl _start
_start:
    /* a0 = hart id, a1 = dtb (left as QEMU's reset ROM set them) */
    la sp, _stack_top
    la tp, trapf
    la t0, trap_m
    csrw mtvec, t0
    /* QEMU denies S/U accesses when no PMP entry matches: open everything (NAPOT, RWX).
       (0x003f..f: the largest value whose bits 63:54 are zero, as pmpaddr holds bits 55:2.) */
    li t0, 0x003fffffffffffff
    csrw pmpaddr0, t0
    li t0, 0x1f
    csrw pmpcfg0, t0
    li gp, 1
    j main

/* ---- exits ------------------------------------------------------------- */
    .text
    .globl pass
pass:
    li t0, 1
    la t1, tohost
    sd t0, 0(t1)
    li t1, TESTDEV
    li t0, 0x5555
    sw t0, 0(t1)
1:  j 1b

/* Unexpected trap: print what happened, then fail with the test number. */
fail_trap:
    la a0, msg_trap
    call puts
    ld a0, TF_CAUSE(tp)
    call puthex
    la a0, msg_epc
    call puts
    ld a0, TF_EPC(tp)
    call puthex
    la a0, msg_tval
    call puts
    ld a0, TF_TVAL(tp)
    call puthex
    li a0, '\n'
    call putc
    /* fall through */
    .globl fail
fail:
    /* QEMU exits with status (code & 0xff): keep it non-zero */
    andi t0, gp, 0xff
    bnez t0, 1f
    li gp, 0xff
1:  la a0, msg_fail
    call puts
    mv a0, gp
    call puthex
    li a0, '\n'
    call putc
    slli t0, gp, 1
    ori t0, t0, 1
    la t1, tohost
    sd t0, 0(t1)
    li t1, TESTDEV
    slli t0, gp, 16
    li t2, 0x3333
    or t0, t0, t2
    sw t0, 0(t1)
1:  j 1b

#ifdef KEEPGOING
/* Debug builds: print "MISMATCH <test> got <t5> expected <t6>" and return to t4. */
    .globl mismatch
mismatch:
    mv s11, t5
    mv s10, t6
    la a0, msg_mm
    call puts
    mv a0, gp
    call puthex
    la a0, msg_got
    call puts
    mv a0, s11
    call puthex
    la a0, msg_exp
    call puts
    mv a0, s10
    call puthex
    li a0, '\n'
    call putc
    jr t4
#endif

/* putc(a0): 16550 THR, waits for THRE */
putc:
    li t0, UART0
1:  lbu t1, 5(t0)
    andi t1, t1, 0x20
    beqz t1, 1b
    sb a0, 0(t0)
    ret
/* puts(a0) */
puts:
    mv t2, a0
    mv a3, ra
1:  lbu a0, 0(t2)
    beqz a0, 2f
    call putc
    addi t2, t2, 1
    j 1b
2:  mv ra, a3
    ret
/* puthex(a0): 16 hex digits */
puthex:
    mv a2, a0
    mv a3, ra
    li t2, 60
1:  srl a0, a2, t2
    andi a0, a0, 15
    addi a0, a0, '0'
    li t1, '9'
    ble a0, t1, 2f
    addi a0, a0, 'a' - '0' - 10
2:  call putc
    addi t2, t2, -4
    bgez t2, 1b
    mv ra, a3
    ret

/* ---- default M-mode trap handler (direct mode) ----------------------- */
    .align 6
    .globl trap_m
trap_m:
    sd t0, TF_T0(tp)
    sd t1, TF_T1(tp)
    sd t2, TF_T2(tp)
    csrr t0, mcause
    bltz t0, 8f                 /* interrupts are never expected here */
    /* ECALL with a7 == ECALL_TO_M: return to the next instruction in M-mode */
    addi t1, t0, -CAUSE_ECALL_U
    li t2, 3
    bgtu t1, t2, 1f
    li t1, ECALL_TO_M
    bne a7, t1, 1f
    li t1, MSTATUS_MPP
    csrs mstatus, t1
    ld t1, TF_MRESUME(tp)
    beqz t1, 6f
    sd zero, TF_MRESUME(tp)
    csrw mepc, t1
    j 7f
6:  csrr t1, mepc
    addi t1, t1, 4
    csrw mepc, t1
    j 7f
1:  sd t0, TF_CAUSE(tp)
    csrr t1, mtval
    sd t1, TF_TVAL(tp)
    csrr t1, mepc
    sd t1, TF_EPC(tp)
    csrr t1, mstatus
    srli t1, t1, 11
    andi t1, t1, 3
    sd t1, TF_PRIV(tp)
    ld t1, TF_COUNT(tp)
    addi t1, t1, 1
    sd t1, TF_COUNT(tp)
    ld t1, TF_EXPECT(tp)
    beqz t1, 9f
    sd zero, TF_EXPECT(tp)
    /* resume address: TF_RESUME if set, else after the trapping instruction */
    ld t1, TF_RESUME(tp)
    beqz t1, 2f
    sd zero, TF_RESUME(tp)
    csrw mepc, t1
    j 7f
2:  csrr t1, mepc
    lhu t2, 0(t1)
    andi t2, t2, 3
    addi t1, t1, 2
    addi t2, t2, -3
    bnez t2, 3f
    addi t1, t1, 2
3:  csrw mepc, t1
7:  ld t0, TF_T0(tp)
    ld t1, TF_T1(tp)
    ld t2, TF_T2(tp)
    mret
8:  sd t0, TF_CAUSE(tp)
    csrr t1, mepc
    sd t1, TF_EPC(tp)
    csrr t1, mtval
    sd t1, TF_TVAL(tp)
9:  li t1, MSTATUS_MPRV
    csrc mstatus, t1
    j fail_trap

/* ---- default S-mode trap handler (direct mode) ----------------------- */
    .align 6
    .globl trap_s
trap_s:
    sd t0, TF_S_T0(tp)
    sd t1, TF_S_T1(tp)
    sd t2, TF_S_T2(tp)
    csrr t0, scause
    /* ECALL from U with a7 == ECALL_TO_M, delegated to S: pass it on to M (ECALL from S),
       then, now in M-mode, return to the instruction after the U-mode ECALL in M-mode. */
    li t1, CAUSE_ECALL_U
    bne t0, t1, 1f
    li t1, ECALL_TO_M
    bne a7, t1, 1f
    csrr t1, sepc
    addi t1, t1, 4
    sd t1, TF_T3(tp)
    ecall
    ld t1, TF_T3(tp)
    csrw mepc, t1
    li t1, MSTATUS_MPP
    csrs mstatus, t1
    ld t0, TF_S_T0(tp)
    ld t1, TF_S_T1(tp)
    ld t2, TF_S_T2(tp)
    mret
1:  sd t0, TF_CAUSE(tp)
    csrr t1, stval
    sd t1, TF_TVAL(tp)
    csrr t1, sepc
    sd t1, TF_EPC(tp)
    bltz t0, 9f
    csrr t1, sstatus
    srli t1, t1, 8
    andi t1, t1, 1
    sd t1, TF_PRIV(tp)
    ld t1, TF_COUNT(tp)
    addi t1, t1, 1
    sd t1, TF_COUNT(tp)
    ld t1, TF_EXPECT(tp)
    beqz t1, 9f
    sd zero, TF_EXPECT(tp)
    ld t1, TF_RESUME(tp)
    beqz t1, 2f
    sd zero, TF_RESUME(tp)
    csrw sepc, t1
    j 7f
2:  csrr t1, sepc
    lhu t2, 0(t1)
    andi t2, t2, 3
    addi t1, t1, 2
    addi t2, t2, -3
    bnez t2, 3f
    addi t1, t1, 2
3:  csrw sepc, t1
7:  ld t0, TF_S_T0(tp)
    ld t1, TF_S_T1(tp)
    ld t2, TF_S_T2(tp)
    sret
    /* unexpected: go to M-mode and report */
9:  GOTO_M
    j fail_trap

    .section .rodata
msg_fail: .string "FAIL test "
msg_trap: .string "unexpected trap cause "
msg_epc:  .string " epc "
msg_tval: .string " tval "
#ifdef KEEPGOING
msg_mm:   .string "MISMATCH test "
msg_got:  .string " got "
msg_exp:  .string " expected "
#endif

    .section .tohost, "aw", @progbits
    .align 3
    .globl tohost
tohost: .dword 0
    .align 3
    .globl fromhost
fromhost: .dword 0

    .bss
    .align 6
    .globl trapf
trapf: .space TF_SIZE
