/*
 * rv64i: every RV64I instruction (full 32-bit encodings: .option norvc).
 */
#include "common.h"
    .option norvc
    .text
    .globl main
main:
    /* ---- register-register ---- */
    RR add,  1, 2, 3
    RR add,  0x7fffffffffffffff, 1, 0x8000000000000000
    RR add,  -1, -1, -2
    RR sub,  3, 5, -2
    RR sub,  0x8000000000000000, 1, 0x7fffffffffffffff
    RR sll,  1, 0, 1
    RR sll,  1, 31, 0x80000000
    RR sll,  1, 32, 0x100000000
    RR sll,  1, 63, 0x8000000000000000
    RR sll,  3, 65, 6                          /* only the low 6 bits of rs2 */
    RR srl,  0x8000000000000000, 0, 0x8000000000000000
    RR srl,  0x8000000000000000, 31, 0x100000000
    RR srl,  0x8000000000000000, 32, 0x80000000
    RR srl,  0x8000000000000000, 63, 1
    RR sra,  0x8000000000000000, 0, 0x8000000000000000
    RR sra,  0x8000000000000000, 31, 0xffffffff00000000
    RR sra,  0x8000000000000000, 32, 0xffffffff80000000
    RR sra,  0x8000000000000000, 63, -1
    RR sra,  0x4000000000000000, 62, 1
    RR slt,  -1, 1, 1
    RR slt,  1, -1, 0
    RR slt,  5, 5, 0
    RR sltu, -1, 1, 0
    RR sltu, 1, -1, 1
    RR sltu, 0, 0, 0
    RR xor,  0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0xf0f0f0f0f0f0f0f0
    RR or,   0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0xfff0fff0fff0fff0
    RR and,  0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0x0f000f000f000f00
    /* W forms: 32-bit result sign-extended */
    RR addw, 0x7fffffff, 1, 0xffffffff80000000
    RR addw, 0xffffffff00000005, 0x1234567800000003, 8
    RR subw, 0, 1, -1
    RR subw, 0x80000000, 1, 0x7fffffff
    RR sllw, 1, 0, 1
    RR sllw, 1, 31, 0xffffffff80000000
    RR sllw, 1, 32, 1                          /* only the low 5 bits of rs2 */
    RR sllw, 0xffffffff12345678, 4, 0x23456780
    RR srlw, 0xffffffff80000000, 0, 0xffffffff80000000
    RR srlw, 0xffffffff80000000, 31, 1
    RR srlw, 0x80000000, 1, 0x40000000
    RR srlw, 0x80000000, 63, 1
    RR sraw, 0x80000000, 0, 0xffffffff80000000
    RR sraw, 0x80000000, 31, -1
    RR sraw, 0x12345678f0000000, 4, 0xffffffffff000000
    RR sraw, 0x7fffffff, 32, 0x7fffffff
    /* ---- register-immediate ---- */
    RI addi, 1, -1, 0
    RI addi, 0x7fffffffffffffff, 1, 0x8000000000000000
    RI addi, 0, -2048, -2048
    RI addi, 0, 2047, 2047
    RI slti, -5, -4, 1
    RI slti, -4, -5, 0
    RI sltiu, 5, -1, 1                         /* imm sign-extended, compared unsigned */
    RI sltiu, -1, -1, 0
    RI sltiu, 0, 1, 1                          /* seqz */
    RI xori, 0x00ff, -1, 0xffffffffffffff00    /* not */
    RI ori,  0x1000, -2048, 0xfffffffffffff800
    RI andi, -1, 0x7ff, 0x7ff
    RI andi, 0x123456789, -16, 0x123456780
    RI slli, 1, 0, 1
    RI slli, 1, 31, 0x80000000
    RI slli, 1, 32, 0x100000000
    RI slli, 1, 63, 0x8000000000000000
    RI srli, -1, 0, -1
    RI srli, -1, 31, 0x1ffffffff
    RI srli, -1, 32, 0xffffffff
    RI srli, -1, 63, 1
    RI srai, 0x8000000000000000, 0, 0x8000000000000000
    RI srai, 0x8000000000000000, 31, 0xffffffff00000000
    RI srai, 0x8000000000000000, 32, 0xffffffff80000000
    RI srai, 0x8000000000000000, 63, -1
    RI addiw, 0x7fffffff, 1, 0xffffffff80000000
    RI addiw, 0xabcdef0000000000, -1, -1
    RI addiw, 0xffffffff, 0, -1                /* sext.w */
    RI slliw, 1, 0, 1
    RI slliw, 1, 31, 0xffffffff80000000
    RI slliw, 0x100000001, 1, 2
    RI srliw, 0xffffffff80000000, 0, 0xffffffff80000000
    RI srliw, 0x80000000, 31, 1
    RI srliw, -1, 1, 0x7fffffff
    RI sraiw, 0x80000000, 0, 0xffffffff80000000
    RI sraiw, 0x80000000, 31, -1
    RI sraiw, 0x7fffffff00000000, 1, 0
    RI sraiw, 0x0000000080000000, 4, 0xfffffffff8000000

    /* ---- LUI / AUIPC ---- */
    NEXT
    lui a0, 0x80000
    CHECK a0, 0xffffffff80000000
    NEXT
    lui a0, 0xfffff
    CHECK a0, 0xfffffffffffff000
    NEXT
    lui a0, 0x7ffff
    CHECK a0, 0x7ffff000
    NEXT
1:  auipc a0, 0xfffff
    la a1, 1b
    sub a0, a0, a1
    CHECK a0, -0x1000
    NEXT
1:  auipc a0, 0x80000
    la a1, 1b
    sub a0, a0, a1
    CHECK a0, 0xffffffff80000000
    NEXT
1:  auipc a0, 0
    la a1, 1b
    CHECKR a0, a1

    /* ---- x0 is hardwired ---- */
    NEXT
    li a0, 5
    add zero, a0, a0
    addi x0, x0, 7
    lui x0, 0x12345
    CHECK zero, 0

    /* ---- loads: every width, sign/zero extension ---- */
    la s0, ldata
    NEXT
    lb a0, 0(s0)
    CHECK a0, 0xffffffffffffff81
    NEXT
    lbu a0, 0(s0)
    CHECK a0, 0x81
    NEXT
    lb a0, 1(s0)
    CHECK a0, 0x72
    NEXT
    lh a0, 2(s0)
    CHECK a0, 0xffffffffffff8463
    NEXT
    lhu a0, 2(s0)
    CHECK a0, 0x8463
    NEXT
    lh a0, 0(s0)
    CHECK a0, 0x7281
    NEXT
    lw a0, 4(s0)
    CHECK a0, 0xffffffff90a0b0c0
    NEXT
    lwu a0, 4(s0)
    CHECK a0, 0x90a0b0c0
    NEXT
    lw a0, 0(s0)
    CHECK a0, 0xffffffff84637281
    NEXT
    ld a0, 0(s0)
    CHECK a0, 0x90a0b0c084637281
    NEXT
    ld a0, 8(s0)
    CHECK a0, 0x0123456789abcdef
    NEXT
    lb a0, -1(s0)            /* negative offset: byte before ldata is 0x55 */
    CHECK a0, 0x55
    NEXT
    addi s1, s0, 2047
    lbu a0, -2047(s1)
    CHECK a0, 0x81
    /* misaligned loads (done by hardware in QEMU) */
    NEXT
    lh a0, 1(s0)
    CHECK a0, 0x6372
    NEXT
    lhu a0, 3(s0)
    CHECK a0, 0xc084
    NEXT
    lh a0, 3(s0)
    CHECK a0, 0xffffffffffffc084
    NEXT
    lw a0, 1(s0)
    CHECK a0, 0xffffffffc0846372
    NEXT
    lwu a0, 2(s0)
    CHECK a0, 0xb0c08463
    NEXT
    lw a0, 6(s0)
    CHECK a0, 0xffffffffcdef90a0
    NEXT
    ld a0, 3(s0)
    CHECK a0, 0xabcdef90a0b0c084
    NEXT
    ld a0, 7(s0)
    CHECK a0, 0x23456789abcdef90
    /* a misaligned load across a page boundary */
    la s2, pagecross
    NEXT
    li a0, 0x1122334455667788
    sd a0, -4(s2)
    ld a1, -4(s2)
    CHECKR a0, a1
    NEXT
    lw a1, -2(s2)
    CHECK a1, 0x33445566

    /* ---- stores ---- */
    la s0, sdata
    NEXT
    sd zero, 0(s0)
    sd zero, 8(s0)
    li a0, 0xa1a2a3a4a5a6a7a8
    sb a0, 0(s0)
    sh a0, 2(s0)
    sw a0, 4(s0)
    ld a1, 0(s0)
    CHECK a1, 0xa5a6a7a8a7a800a8
    NEXT
    sd a0, 8(s0)
    ld a1, 8(s0)
    CHECKR a0, a1
    /* misaligned stores */
    NEXT
    sd zero, 0(s0)
    sd zero, 8(s0)
    li a0, 0x0102030405060708
    sh a0, 1(s0)
    ld a1, 0(s0)
    CHECK a1, 0x0000000000070800
    NEXT
    sw a0, 5(s0)
    ld a1, 0(s0)
    CHECK a1, 0x0607080000070800
    ld a1, 8(s0)
    CHECK a1, 0x05
    NEXT
    sd a0, 9(s0)
    ld a1, 8(s0)
    CHECK a1, 0x0203040506070805
    lbu a1, 16(s0)
    CHECK a1, 0x01
    NEXT
    li a0, 0x8899aabb
    sw a0, -2(s2)            /* store across the page boundary */
    ld a1, -4(s2)
    CHECK a1, 0x11228899aabb7788

    /* ---- branches ---- */
    NEXT
    li a0, 1
    li a1, 1
    beq a0, a1, 1f
    j fail
1:  bne a0, a1, fail_near
    li a1, -1
    bne a0, a1, 1f
    j fail
1:  beq a0, a1, fail_near
    blt a1, a0, 1f           /* -1 < 1 signed */
    j fail
1:  blt a0, a1, fail_near
    bge a0, a1, 1f
    j fail
1:  bge a1, a0, fail_near
    bge a0, a0, 1f           /* equal */
    j fail
1:  bltu a0, a1, 1f          /* 1 < 0xfff.. unsigned */
    j fail
1:  bltu a1, a0, fail_near
    bgeu a1, a0, 1f
    j fail
1:  bgeu a0, a1, fail_near
    bgeu a0, a0, 1f
    j fail
1:  blt a0, a0, fail_near
    bltu a0, a0, fail_near
    /* backward branch loop */
    NEXT
    li a0, 0
    li a1, 10
1:  addi a0, a0, 3
    addi a1, a1, -1
    bnez a1, 1b
    CHECK a0, 30

    /* ---- JAL / JALR ---- */
    NEXT
    jal ra, 1f
2:  j fail
1:  la a0, 2b
    CHECKR ra, a0
    NEXT
    la a0, 1f
    jalr s3, 0(a0)
2:  j fail
1:  la a0, 2b
    CHECKR s3, a0
    NEXT
    la a0, 1f + 1            /* odd target: bit 0 is cleared */
    jalr t0, 0(a0)
    j fail
1:  NEXT
    la a0, 1f - 8
    jalr t0, 8(a0)           /* offset added before clearing bit 0 */
    j fail
1:  NEXT
    la a0, 1f - 3
    jalr a0, 3(a0)           /* rd == rs1: target uses the old value */
2:  j fail
1:  la a1, 2b
    CHECKR a0, a1
    NEXT
    la a0, 1f
    jalr zero, 0(a0)         /* jr */
    j fail
1:  NEXT
    jal zero, 1f             /* j */
    j fail
1:

    /* ---- FENCE / FENCE.I and self-modifying code ---- */
    NEXT
    fence
    fence rw, rw
    fence r, w
    fence.tso
    fence iorw, iorw
    li a0, 0
    call patchme
    CHECK a0, 1
    NEXT
    la a1, patchme
    li a2, 0x00200513        /* addi a0, zero, 2 */
    sw a2, 0(a1)
    fence.i
    call patchme
    CHECK a0, 2
    NEXT
    li a2, 0x00300513        /* addi a0, zero, 3 */
    sw a2, 0(a1)
    fence.i
    call patchme
    CHECK a0, 3

    j pass

fail_near:
    j fail

    .align 3
patchme:
    addi a0, zero, 1
    ret

    .data
    .align 4
    .byte 0,0,0,0,0,0,0,0x55
ldata:
    .byte 0x81, 0x72, 0x63, 0x84, 0xc0, 0xb0, 0xa0, 0x90
    .dword 0x0123456789abcdef
    .dword 0
    .align 4
sdata:
    .space 32
    .align 12
    .space 4096 - 16
    .space 16
pagecross:
    .space 64
