/*
 * rv64c: every RV64C instruction, written with explicit c.* mnemonics so the assembler
 * must emit the 16-bit forms; plus C.EBREAK and reserved/illegal compressed encodings.
 */
#include "common.h"
    .option rvc
    .text
    .globl main
main:
    li t0, 1 << 13                   /* mstatus.FS = Initial: C.FLD/C.FSD/C.FLDSP/C.FSDSP need it */
    csrs mstatus, t0
    la s0, cdata
    /* ---- stack-pointer based ---- */
    NEXT
    mv t0, sp
    c.addi16sp sp, -64
    sub t1, t0, sp
    CHECK t1, 64
    NEXT
    li a0, 0x1122334455667788
    c.sdsp a0, 8(sp)
    c.ldsp a1, 8(sp)
    CHECKR a0, a1
    NEXT
    c.lwsp a2, 8(sp)                 /* 0x55667788 */
    CHECK a2, 0x55667788
    c.lwsp a2, 12(sp)                /* 0x11223344 */
    CHECK a2, 0x11223344
    NEXT
    li a0, 0x89abcdef
    c.swsp a0, 16(sp)
    c.lwsp a3, 16(sp)                /* sign-extended */
    CHECK a3, 0xffffffff89abcdef
    NEXT
    c.addi4spn a4, sp, 24
    addi t1, sp, 24
    CHECKR a4, t1
    c.addi4spn s1, sp, 1020
    addi t1, sp, 1020
    CHECKR s1, t1
    NEXT
    li a0, 0x400921fb54442d18        /* pi */
    fmv.d.x fa0, a0
    c.fsdsp fa0, 32(sp)
    c.fldsp fa1, 32(sp)
    fmv.x.d a1, fa1
    CHECKR a0, a1
    c.addi16sp sp, 64
    sub t1, t0, sp
    CHECK t1, 0
    NEXT
    c.addi16sp sp, -512
    c.addi16sp sp, 496
    c.addi16sp sp, 16
    CHECKR sp, t0

    /* ---- register based loads/stores (x8..x15) ---- */
    NEXT
    li a0, 0xfedcba9876543210
    c.sd a0, 8(s0)
    c.ld a1, 8(s0)
    CHECKR a0, a1
    NEXT
    c.lw a2, 12(s0)                  /* 0xfedcba98 sign-extended */
    CHECK a2, 0xfffffffffedcba98
    c.lw a2, 8(s0)
    CHECK a2, 0x76543210
    NEXT
    li a3, 0x13579bdf
    c.sw a3, 124(s0)
    lwu a4, 124(s0)
    CHECK a4, 0x13579bdf
    NEXT
    li a5, 0x3ff0000000000000        /* 1.0 */
    fmv.d.x fa2, a5
    c.fsd fa2, 248(s0)
    c.fld fa3, 248(s0)
    fmv.x.d a4, fa3
    CHECKR a4, a5

    /* ---- immediates ---- */
    NEXT
    c.li a0, -32
    CHECK a0, -32
    c.li a0, 31
    CHECK a0, 31
    NEXT
    c.addi a0, -1
    CHECK a0, 30
    c.addi a0, 31
    CHECK a0, 61
    NEXT
    c.nop
    li a0, 0x7fffffff
    c.addiw a0, 1                    /* 32-bit wrap, sign-extended */
    CHECK a0, 0xffffffff80000000
    li a0, 0x100000005
    c.addiw a0, 0                    /* sext.w */
    CHECK a0, 5
    NEXT
    c.lui a1, 0xfffe0                /* nzimm[17:12] = 0x20 (negative): 0xfffffffffffe0000 */
    CHECK a1, 0xfffffffffffe0000
    c.lui a1, 1
    CHECK a1, 0x1000
    c.lui a1, 0x1f
    CHECK a1, 0x1f000
    NEXT
    li a0, 0x8000000000000001
    c.srli a0, 1
    CHECK a0, 0x4000000000000000
    li a0, 0x8000000000000001
    c.srli a0, 63
    CHECK a0, 1
    NEXT
    li a0, 0x8000000000000000
    c.srai a0, 32
    CHECK a0, 0xffffffff80000000
    li a0, 0x8000000000000000
    c.srai a0, 63
    CHECK a0, -1
    li a0, 0x4000000000000000
    c.srai a0, 1
    CHECK a0, 0x2000000000000000
    NEXT
    li a0, -1
    c.andi a0, -32
    CHECK a0, -32
    li a0, 0x1234
    c.andi a0, 15
    CHECK a0, 4
    NEXT
    li a0, 1
    c.slli a0, 63
    CHECK a0, 0x8000000000000000
    li t3, 3
    c.slli t3, 32
    CHECK t3, 0x300000000

    /* ---- register-register ---- */
    NEXT
    li a0, 10
    li a1, 25
    c.sub a0, a1
    CHECK a0, -15
    NEXT
    li a0, 0xff00
    li a1, 0x0ff0
    c.xor a0, a1
    CHECK a0, 0xf0f0
    li a0, 0xff00
    c.or a0, a1
    CHECK a0, 0xfff0
    li a0, 0xff00
    c.and a0, a1
    CHECK a0, 0x0f00
    NEXT
    li a0, 0x80000000
    li a1, 1
    c.subw a0, a1
    CHECK a0, 0x7fffffff
    li a0, 0
    c.subw a0, a1
    CHECK a0, -1
    NEXT
    li a0, 0x7fffffff
    c.addw a0, a1
    CHECK a0, 0xffffffff80000000
    NEXT
    li t3, 42
    c.mv t4, t3
    CHECK t4, 42
    c.add t4, t3
    CHECK t4, 84

    /* ---- control transfer ---- */
    NEXT
    c.j 1f
    j fail
1:  NEXT
    li a0, 0
    c.beqz a0, 1f
    j fail
1:  li a0, 1
    c.beqz a0, fail_c
    c.bnez a0, 1f
    j fail
1:  li a0, 0
    c.bnez a0, fail_c
    NEXT                             /* backward c.bnez loop */
    li a0, 5
    li a1, 0
1:  c.addi a1, 3
    c.addi a0, -1
    c.bnez a0, 1b
    CHECK a1, 15
    NEXT
    la t0, 1f
    c.jr t0
    j fail
1:  NEXT
    la t0, 1f
    c.jalr t0
2:  j fail
1:  la t1, 2b
    CHECKR ra, t1
    NEXT                             /* c.jalr with rs1 == ra: target is the old ra */
    la ra, 1f
    c.jalr ra
2:  j fail
1:  la t1, 2b
    CHECKR ra, t1
    NEXT                             /* c.jr to a 2-byte aligned (not 4-byte aligned) target */
    la t0, 3f
    c.jr t0
    j fail
    .align 2
    c.nop
3:  c.nop
    NEXT                             /* a 32-bit instruction at a 2-byte aligned address */
    c.nop
    li a0, 0x12345
    addi a0, a0, 1
    CHECK a0, 0x12346

    /* ---- C.EBREAK ---- */
    NEXT
    EXPECT_TRAP
1:  c.ebreak
    CHECK_TRAP_CAUSE CAUSE_BREAKPOINT
    CHECK_TRAP_EPC 1b
    NEXT                             /* 32-bit EBREAK too */
    EXPECT_TRAP
1:  .option push
    .option norvc
    ebreak
    .option pop
    CHECK_TRAP_CAUSE CAUSE_BREAKPOINT
    CHECK_TRAP_EPC 1b

    /* ---- reserved and illegal 16-bit encodings: illegal instruction, mtval = the 16 bits ---- */
    NEXT
    EXPECT_TRAP
1:  .half 0x0000                     /* all zeros: defined illegal */
    CHECK_TRAP CAUSE_ILLEGAL, 0
    CHECK_TRAP_EPC 1b
    NEXT
    EXPECT_TRAP
    .half 0x6081                     /* c.lui ra, 0: reserved */
    CHECK_TRAP CAUSE_ILLEGAL, 0x6081
    NEXT
    EXPECT_TRAP
    .half 0x6101                     /* c.addi16sp sp, 0: reserved */
    CHECK_TRAP CAUSE_ILLEGAL, 0x6101
    NEXT
    EXPECT_TRAP
    .half 0x8002                     /* c.jr x0: reserved */
    CHECK_TRAP CAUSE_ILLEGAL, 0x8002
    NEXT
    EXPECT_TRAP
    .half 0x4002                     /* c.lwsp x0: reserved */
    CHECK_TRAP CAUSE_ILLEGAL, 0x4002
    j pass

fail_c:
    j fail

    .data
    .align 4
cdata:
    .space 256
