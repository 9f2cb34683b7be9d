/*
 * rv64m: multiply and divide, including division by zero and signed overflow.
 */
#include "common.h"
    .text
    .globl main
main:
    /* MUL: low 64 bits */
    RR mul, 3, 7, 21
    RR mul, -3, 7, -21
    RR mul, 0x7fffffffffffffff, 2, 0xfffffffffffffffe
    RR mul, 0x123456789abcdef0, 0x0fedcba987654321, 0x2236d88fe5618cf0
    RR mul, 0x8000000000000000, -1, 0x8000000000000000
    /* MULH: high 64 bits signed x signed */
    RR mulh, 0x7fffffffffffffff, 0x7fffffffffffffff, 0x3fffffffffffffff
    RR mulh, -1, -1, 0
    RR mulh, -1, 1, -1
    RR mulh, 0x8000000000000000, 0x8000000000000000, 0x4000000000000000
    RR mulh, 0x8000000000000000, 0x7fffffffffffffff, 0xc000000000000000
    RR mulh, 0x123456789abcdef0, 0x0fedcba987654321, 0x0121fa00ad77d742
    /* MULHU: unsigned x unsigned */
    RR mulhu, -1, -1, 0xfffffffffffffffe
    RR mulhu, -1, 2, 1
    RR mulhu, 0x8000000000000000, 0x8000000000000000, 0x4000000000000000
    RR mulhu, 0x123456789abcdef0, 0xfedcba9876543210, 0x121fa00ad77d7422
    /* MULHSU: signed rs1 x unsigned rs2 */
    RR mulhsu, -1, -1, -1
    RR mulhsu, -1, 1, -1
    RR mulhsu, 1, -1, 0
    RR mulhsu, 0x8000000000000000, -1, 0x8000000000000000
    RR mulhsu, 0x8000000000000000, 0x8000000000000000, 0xc000000000000000
    RR mulhsu, 0x123456789abcdef0, 0xfedcba9876543210, 0x121fa00ad77d7422
    /* MULW: low 32 bits, sign-extended */
    RR mulw, 0x7fffffff, 2, 0xfffffffffffffffe
    RR mulw, 0x10000, 0x10000, 0
    RR mulw, 0xffffffff00000003, 0x1234567800000005, 15
    RR mulw, 0x12345678, 0x9abcdef0, 0x242d2080
    /* DIV / DIVU / REM / REMU */
    RR div, 20, 6, 3
    RR div, -20, 6, -3
    RR div, 20, -6, -3
    RR div, -20, -6, 3
    RR div, 5, 0, -1                                  /* division by zero: all ones */
    RR div, 0x8000000000000000, -1, 0x8000000000000000 /* overflow: dividend */
    RR divu, 20, 6, 3
    RR divu, -20, 6, 0x2aaaaaaaaaaaaaa7
    RR divu, 5, 0, -1
    RR divu, 0x8000000000000000, -1, 0
    RR rem, 20, 6, 2
    RR rem, -20, 6, -2
    RR rem, 20, -6, 2
    RR rem, -20, -6, -2
    RR rem, 5, 0, 5                                   /* remainder by zero: dividend */
    RR rem, 0x8000000000000000, -1, 0                 /* overflow: zero */
    RR remu, 20, 6, 2
    RR remu, -20, 6, 2
    RR remu, 5, 0, 5
    RR remu, -1, 0, -1
    /* W forms: operate on the low 32 bits, sign-extend the 32-bit result */
    RR divw, 0xffffffff00000014, 6, 3                 /* upper bits ignored */
    RR divw, -20, 6, -3
    RR divw, 5, 0, -1
    RR divw, 0x80000000, -1, 0xffffffff80000000      /* overflow */
    RR divw, 0x80000000, 0xffffffff, 0xffffffff80000000
    RR divuw, 0xffffffec, 6, 0x2aaaaaa7
    RR divuw, 0x80000000, 1, 0xffffffff80000000      /* result bit 31 set: sign-extended */
    RR divuw, 5, 0, -1
    RR divuw, 0x1234567800000000, 0, -1
    RR remw, -20, 6, -2
    RR remw, 5, 0, 5
    RR remw, 0x123456780000000f, 0, 15
    RR remw, 0x80000005, 0, 0xffffffff80000005       /* by zero: sign-extended dividend */
    RR remw, 0x80000000, -1, 0
    RR remuw, 0xffffffec, 6, 2
    RR remuw, 0x80000005, 0, 0xffffffff80000005
    RR remuw, 0xffffffff, 0x10, 15
    /* rd == rs1 == rs2 */
    NEXT
    li a0, 9
    mul a0, a0, a0
    CHECK a0, 81
    NEXT
    li a0, -7
    div a0, a0, a0
    CHECK a0, 1
    j pass
