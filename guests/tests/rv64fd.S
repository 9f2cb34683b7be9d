/*
 * rv64fd: F and D. FS tracking in mstatus (Off traps, Initial/Clean/Dirty transitions),
 * fcsr/frm/fflags CSRs, invalid rounding modes, loads/stores, NaN boxing, then test vectors:
 * arithmetic in every rounding mode with fflags, sqrt, fused multiply-add, sign injection,
 * min/max NaN rules, compares, fclass, integer conversions incl. saturation, fcvt.s.d/fcvt.d.s.
 * Expected values were computed with exact rational arithmetic (IEEE 754-2008 rounding,
 * RISC-V canonical NaNs, tininess after rounding).
 */
#include "common.h"

/* Double-precision: operands are raw bits; results are checked bit-exact with fflags. */
.macro FOP2D op, a, b, rm, exp, flags
    NEXT
    li t0, \a
    fmv.d.x f1, t0
    li t0, \b
    fmv.d.x f2, t0
    \op f3, f1, f2, \rm
    CHECKFD f3, \exp
    CHECKFLAGS \flags
.endm
.macro FOP2ND op, a, b, exp, flags
    NEXT
    li t0, \a
    fmv.d.x f4, t0
    li t0, \b
    fmv.d.x f5, t0
    \op f6, f4, f5
    CHECKFD f6, \exp
    CHECKFLAGS \flags
.endm
.macro FOP1D op, a, rm, exp, flags
    NEXT
    li t0, \a
    fmv.d.x f7, t0
    \op f8, f7, \rm
    CHECKFD f8, \exp
    CHECKFLAGS \flags
.endm
.macro FOP3D op, a, b, c, rm, exp, flags
    NEXT
    li t0, \a
    fmv.d.x f10, t0
    li t0, \b
    fmv.d.x f11, t0
    li t0, \c
    fmv.d.x f12, t0
    \op f13, f10, f11, f12, \rm
    CHECKFD f13, \exp
    CHECKFLAGS \flags
.endm
.macro FCMPD op, a, b, exp, flags
    NEXT
    li t0, \a
    fmv.d.x f14, t0
    li t0, \b
    fmv.d.x f15, t0
    \op a0, f14, f15
    CHECK a0, \exp
    CHECKFLAGS \flags
.endm
.macro FCLASSD a, exp
    NEXT
    li t0, \a
    fmv.d.x f16, t0
    fclass.d a0, f16
    CHECK a0, \exp
.endm
.macro FCVTID op, a, rm, exp, flags
    NEXT
    li t0, \a
    fmv.d.x f17, t0
    \op a0, f17, \rm
    CHECK a0, \exp
    CHECKFLAGS \flags
.endm
.macro FCVTFD op, x, rm, exp, flags
    NEXT
    li t0, \x
    \op f18, t0, \rm
    CHECKFD f18, \exp
    CHECKFLAGS \flags
.endm
.macro FCVTFX op, x, exp, flags
    NEXT
    li t0, \x
    \op f19, t0
    CHECKFD f19, \exp
    CHECKFLAGS \flags
.endm
.macro FCVTSD a, rm, exp, flags
    NEXT
    li t0, \a
    fmv.d.x f20, t0
    fcvt.s.d f21, f20, \rm
    CHECKFD f21, (0xffffffff00000000 | \exp)
    CHECKFLAGS \flags
.endm
.macro FCVTDS a, exp, flags
    NEXT
    li t0, \a
    fmv.w.x f22, t0
    fcvt.d.s f23, f22
    CHECKFD f23, \exp
    CHECKFLAGS \flags
.endm
/* Single precision: results must also be NaN-boxed (upper 32 bits all ones). */
.macro FOP2S op, a, b, rm, exp, flags
    NEXT
    li t0, \a
    fmv.w.x f24, t0
    li t0, \b
    fmv.w.x f25, t0
    \op f26, f24, f25, \rm
    CHECKFD f26, (0xffffffff00000000 | \exp)
    CHECKFLAGS \flags
.endm
.macro FOP2NS op, a, b, exp, flags
    NEXT
    li t0, \a
    fmv.w.x f27, t0
    li t0, \b
    fmv.w.x f28, t0
    \op f29, f27, f28
    CHECKFD f29, (0xffffffff00000000 | \exp)
    CHECKFLAGS \flags
.endm
.macro FOP1S op, a, rm, exp, flags
    NEXT
    li t0, \a
    fmv.w.x f30, t0
    \op f31, f30, \rm
    CHECKFD f31, (0xffffffff00000000 | \exp)
    CHECKFLAGS \flags
.endm
.macro FOP3S op, a, b, c, rm, exp, flags
    NEXT
    li t0, \a
    fmv.w.x f0, t0
    li t0, \b
    fmv.w.x f1, t0
    li t0, \c
    fmv.w.x f2, t0
    \op f3, f0, f1, f2, \rm
    CHECKFD f3, (0xffffffff00000000 | \exp)
    CHECKFLAGS \flags
.endm
.macro FCMPS op, a, b, exp, flags
    NEXT
    li t0, \a
    fmv.w.x f4, t0
    li t0, \b
    fmv.w.x f5, t0
    \op a0, f4, f5
    CHECK a0, \exp
    CHECKFLAGS \flags
.endm
.macro FCLASSS a, exp
    NEXT
    li t0, \a
    fmv.w.x f6, t0
    fclass.s a0, f6
    CHECK a0, \exp
.endm
.macro FCVTIS op, a, rm, exp, flags
    NEXT
    li t0, \a
    fmv.w.x f7, t0
    \op a0, f7, \rm
    CHECK a0, \exp
    CHECKFLAGS \flags
.endm
.macro FCVTFS op, x, rm, exp, flags
    NEXT
    li t0, \x
    \op f8, t0, \rm
    CHECKFD f8, (0xffffffff00000000 | \exp)
    CHECKFLAGS \flags
.endm

/* mstatus.FS (bits 14:13) == fs, and SD (bit 63) == (fs == 3) */
.macro CHECK_FS fs
    csrr t5, mstatus
    srli t6, t5, 13
    andi t6, t6, 3
    li t4, \fs
    beq t6, t4, 9996f
    j fail
9996:
    srli t5, t5, 63
    .if \fs == 3
    CHECK t5, 1
    .else
    CHECK t5, 0
    .endif
.endm
.macro SET_FS fs
    li t5, MSTATUS_FS
    csrc mstatus, t5
    li t5, (\fs << 13)
    csrs mstatus, t5
.endm

    .text
    .globl main
main:
    /* ---- FS = Off: every F/D instruction and fcsr access is illegal ---- */
    NEXT
    CHECK_FS 0
    EXPECT_TRAP
1:  fadd.d f1, f2, f3
    CHECK_TRAP CAUSE_ILLEGAL, 0x023170d3
    CHECK_TRAP_EPC 1b
    NEXT
    EXPECT_TRAP
    csrr a0, fcsr
    CHECK_TRAP CAUSE_ILLEGAL, 0x00302573
    NEXT
    EXPECT_TRAP
    fmv.x.d a0, f0
    CHECK_TRAP_CAUSE CAUSE_ILLEGAL
    NEXT
    la s0, fdata
    EXPECT_TRAP
    fld f1, 0(s0)
    CHECK_TRAP_CAUSE CAUSE_ILLEGAL
    CHECK_FS 0

    /* ---- FS transitions ---- */
    NEXT
    SET_FS 1                         /* Initial */
    CHECK_FS 1
    li t0, 0x4000000000000000
    fmv.d.x f1, t0                   /* writing an f register: Dirty */
    CHECK_FS 3
    NEXT
    SET_FS 2                         /* Clean */
    CHECK_FS 2
    fsd f1, 0(s0)                    /* stores and moves to x registers leave it Clean */
    fmv.x.d a0, f1
    CHECK a0, 0x4000000000000000
    fsw f1, 8(s0)
    CHECK_FS 2
    fld f2, 0(s0)                    /* a load writes an f register: Dirty */
    CHECK_FS 3
    NEXT
    SET_FS 2
    csrr a0, fcsr                    /* reading fcsr leaves it Clean */
    CHECK_FS 2
    csrwi fflags, 0                  /* writing fflags: Dirty */
    CHECK_FS 3
    NEXT
    SET_FS 1
    fadd.d f3, f1, f2
    CHECK_FS 3
    fmv.x.d a0, f3
    CHECK a0, 0x4010000000000000     /* 2 + 2 */

    /* ---- fcsr / frm / fflags ---- */
    NEXT
    csrwi fcsr, 0
    li a0, 0xff
    csrw fcsr, a0
    csrr a1, fcsr
    CHECK a1, 0xff
    csrr a1, frm
    CHECK a1, 7
    csrr a1, fflags
    CHECK a1, 0x1f
    NEXT
    li a0, 0x1ff                     /* bits above 7 are not writable */
    csrw fcsr, a0
    csrr a1, fcsr
    CHECK a1, 0xff
    NEXT
    li a0, 0x3a
    csrw fflags, a0                  /* only 5 bits */
    csrr a1, fflags
    CHECK a1, 0x1a
    csrr a1, fcsr
    CHECK a1, 0xfa
    NEXT
    li a0, 0xd
    csrw frm, a0                     /* only 3 bits */
    csrr a1, frm
    CHECK a1, 5
    csrr a1, fcsr
    CHECK a1, 0xba
    NEXT
    fsrmi a1, 1                      /* swap: returns the old value */
    CHECK a1, 5
    fsflagsi a1, 0x3
    CHECK a1, 0x1a
    frcsr a1
    CHECK a1, 0x23
    csrwi fcsr, 0

    /* ---- dynamic rounding mode ---- */
    NEXT
    li t0, 0x3ff0000000000000
    fmv.d.x f1, t0
    li t0, 0x3ca8000000000000        /* 0.75 ulp of 1.0 */
    fmv.d.x f2, t0
    fsrmi 1                          /* rtz */
    fadd.d f3, f1, f2                /* dyn */
    CHECKFD f3, 0x3ff0000000000000
    fsrmi 3                          /* rup */
    fadd.d f3, f1, f2, dyn
    CHECKFD f3, 0x3ff0000000000001
    fsrmi 0
    CHECKFLAGS 1

    /* ---- invalid rounding modes: illegal instruction ---- */
    NEXT
    fsrmi 5
    EXPECT_TRAP
    fadd.d f3, f1, f2                /* dyn with frm = 5 */
    CHECK_TRAP CAUSE_ILLEGAL, 0x0220f1d3
    NEXT
    fsrmi 7
    EXPECT_TRAP
    fmul.s f3, f1, f2
    CHECK_TRAP CAUSE_ILLEGAL, 0x1020f1d3
    NEXT
    fsgnj.d f4, f1, f1               /* no rounding: fine with frm = 7 */
    fmin.d f4, f1, f2
    fsrmi 0
    NEXT
    EXPECT_TRAP
    .word 0x0220d1d3                 /* fadd.d f3, f1, f2 with static rm = 5 */
    CHECK_TRAP CAUSE_ILLEGAL, 0x0220d1d3
    NEXT
    EXPECT_TRAP
    .word 0x0220e1d3                 /* static rm = 6 */
    CHECK_TRAP CAUSE_ILLEGAL, 0x0220e1d3

    /* ---- loads and stores ---- */
    NEXT
    la s0, fdata
    li t0, 0x0123456789abcdef
    sd t0, 16(s0)
    fld f9, 16(s0)
    CHECKFD f9, 0x0123456789abcdef
    flw f9, 16(s0)                   /* NaN-boxed */
    CHECKFD f9, 0xffffffff89abcdef
    flw f9, 20(s0)
    CHECKFD f9, 0xffffffff01234567
    NEXT
    li t0, 0xfedcba9876543210
    fmv.d.x f9, t0
    fsd f9, 24(s0)
    ld a0, 24(s0)
    CHECKR a0, t0
    fsw f9, 32(s0)                   /* stores the low 32 bits as they are */
    lwu a0, 32(s0)
    CHECK a0, 0x76543210
    NEXT
    fld f9, 17(s0)                   /* misaligned */
    CHECKFD f9, 0x100123456789abcd & 0xffffffffffffffff

    /* ---- NaN boxing ---- */
    NEXT
    li t0, 0x000000003f800000        /* 1.0f, not boxed */
    fmv.d.x f1, t0
    fadd.s f3, f1, f1                /* an unboxed input is the canonical NaN */
    CHECKFD f3, 0xffffffff7fc00000
    CHECKFLAGS 0
    NEXT
    fsgnj.s f3, f1, f1
    CHECKFD f3, 0xffffffff7fc00000
    fclass.s a0, f1
    CHECK a0, 0x200                  /* quiet NaN */
    feq.s a0, f1, f1
    CHECK a0, 0
    CHECKFLAGS 0
    NEXT
    fmv.x.w a0, f1                   /* moves the low bits as they are */
    CHECK a0, 0x3f800000
    fcvt.d.s f3, f1
    CHECKFD f3, 0x7ff8000000000000
    NEXT
    li t0, 0x80000000
    fmv.w.x f5, t0                   /* boxes */
    CHECKFD f5, 0xffffffff80000000
    fmv.x.w a0, f5                   /* sign-extends */
    CHECK a0, 0xffffffff80000000
    NEXT
    li t0, 0xffffffff40000000        /* boxed 2.0f */
    fmv.d.x f1, t0
    fadd.s f3, f1, f1
    CHECKFD f3, 0xffffffff40800000
    li t0, 0xfffffffe40000000        /* one bit missing: not boxed */
    fmv.d.x f1, t0
    fmul.s f3, f1, f1
    CHECKFD f3, 0xffffffff7fc00000

    /* ---- all 32 f registers hold distinct values ---- */
    NEXT
    la s0, fdata
    .irp r, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    li t0, 0x4000000000000000 + \r
    fmv.d.x f\r, t0
    .endr
    .irp r, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    fsd f\r, (\r * 8)(s0)
    .endr
    li a1, 0x4000000000000000
    li a2, 32
1:  ld a0, 0(s0)
    CHECKR a0, a1
    addi s0, s0, 8
    addi a1, a1, 1
    addi a2, a2, -1
    bnez a2, 1b
    csrwi fcsr, 0

    /* ---- test vectors ---- */
    FOP2D fadd.d, 0x3ff0000000000000, 0x3ca8000000000000, rne, 0x3ff0000000000001, 1
    FOP2D fadd.d, 0x3ff0000000000000, 0x3ca8000000000000, rtz, 0x3ff0000000000000, 1
    FOP2D fadd.d, 0x3ff0000000000000, 0x3ca8000000000000, rdn, 0x3ff0000000000000, 1
    FOP2D fadd.d, 0x3ff0000000000000, 0x3ca8000000000000, rup, 0x3ff0000000000001, 1
    FOP2D fadd.d, 0x3ff0000000000000, 0x3ca8000000000000, rmm, 0x3ff0000000000001, 1
    FOP2D fadd.d, 0x3ff0000000000000, 0x3ca0000000000000, rne, 0x3ff0000000000000, 1
    FOP2D fadd.d, 0x3ff0000000000000, 0x3ca0000000000000, rtz, 0x3ff0000000000000, 1
    FOP2D fadd.d, 0x3ff0000000000000, 0x3ca0000000000000, rdn, 0x3ff0000000000000, 1
    FOP2D fadd.d, 0x3ff0000000000000, 0x3ca0000000000000, rup, 0x3ff0000000000001, 1
    FOP2D fadd.d, 0x3ff0000000000000, 0x3ca0000000000000, rmm, 0x3ff0000000000001, 1
    FOP2D fadd.d, 0xbff0000000000000, 0xbca0000000000000, rne, 0xbff0000000000000, 1
    FOP2D fadd.d, 0xbff0000000000000, 0xbca0000000000000, rtz, 0xbff0000000000000, 1
    FOP2D fadd.d, 0xbff0000000000000, 0xbca0000000000000, rdn, 0xbff0000000000001, 1
    FOP2D fadd.d, 0xbff0000000000000, 0xbca0000000000000, rup, 0xbff0000000000000, 1
    FOP2D fadd.d, 0xbff0000000000000, 0xbca0000000000000, rmm, 0xbff0000000000001, 1
    FOP2D fadd.d, 0x3ff0000000000001, 0x3ca0000000000000, rne, 0x3ff0000000000002, 1
    FOP2D fadd.d, 0x3ff0000000000001, 0x3ca0000000000000, rtz, 0x3ff0000000000001, 1
    FOP2D fadd.d, 0x3ff0000000000001, 0x3ca0000000000000, rdn, 0x3ff0000000000001, 1
    FOP2D fadd.d, 0x3ff0000000000001, 0x3ca0000000000000, rup, 0x3ff0000000000002, 1
    FOP2D fadd.d, 0x3ff0000000000001, 0x3ca0000000000000, rmm, 0x3ff0000000000002, 1
    FOP2D fsub.d, 0x3ff0000000000000, 0x3c90000000000000, rne, 0x3ff0000000000000, 1
    FOP2D fsub.d, 0x3ff0000000000000, 0x3c90000000000000, rtz, 0x3fefffffffffffff, 1
    FOP2D fsub.d, 0x3ff0000000000000, 0x3c90000000000000, rdn, 0x3fefffffffffffff, 1
    FOP2D fsub.d, 0x3ff0000000000000, 0x3c90000000000000, rup, 0x3ff0000000000000, 1
    FOP2D fsub.d, 0x3ff0000000000000, 0x3c90000000000000, rmm, 0x3ff0000000000000, 1
    FOP2D fsub.d, 0x3ff0000000000000, 0x3ff0000000000000, rne, 0x0, 0
    FOP2D fsub.d, 0x3ff0000000000000, 0x3ff0000000000000, rtz, 0x0, 0
    FOP2D fsub.d, 0x3ff0000000000000, 0x3ff0000000000000, rdn, 0x8000000000000000, 0
    FOP2D fsub.d, 0x3ff0000000000000, 0x3ff0000000000000, rup, 0x0, 0
    FOP2D fsub.d, 0x3ff0000000000000, 0x3ff0000000000000, rmm, 0x0, 0
    FOP2D fdiv.d, 0x3ff0000000000000, 0x4008000000000000, rne, 0x3fd5555555555555, 1
    FOP2D fdiv.d, 0x3ff0000000000000, 0x4008000000000000, rtz, 0x3fd5555555555555, 1
    FOP2D fdiv.d, 0x3ff0000000000000, 0x4008000000000000, rdn, 0x3fd5555555555555, 1
    FOP2D fdiv.d, 0x3ff0000000000000, 0x4008000000000000, rup, 0x3fd5555555555556, 1
    FOP2D fdiv.d, 0x3ff0000000000000, 0x4008000000000000, rmm, 0x3fd5555555555555, 1
    FOP2D fdiv.d, 0xc000000000000000, 0x4008000000000000, rne, 0xbfe5555555555555, 1
    FOP2D fdiv.d, 0xc000000000000000, 0x4008000000000000, rtz, 0xbfe5555555555555, 1
    FOP2D fdiv.d, 0xc000000000000000, 0x4008000000000000, rdn, 0xbfe5555555555556, 1
    FOP2D fdiv.d, 0xc000000000000000, 0x4008000000000000, rup, 0xbfe5555555555555, 1
    FOP2D fdiv.d, 0xc000000000000000, 0x4008000000000000, rmm, 0xbfe5555555555555, 1
    FOP2D fmul.d, 0x3ff0000000000001, 0x3ff0000000000001, rne, 0x3ff0000000000002, 1
    FOP2D fmul.d, 0x3ff0000000000001, 0x3ff0000000000001, rtz, 0x3ff0000000000002, 1
    FOP2D fmul.d, 0x3ff0000000000001, 0x3ff0000000000001, rdn, 0x3ff0000000000002, 1
    FOP2D fmul.d, 0x3ff0000000000001, 0x3ff0000000000001, rup, 0x3ff0000000000003, 1
    FOP2D fmul.d, 0x3ff0000000000001, 0x3ff0000000000001, rmm, 0x3ff0000000000002, 1
    FOP2D fmul.d, 0x7fefffffffffffff, 0x4000000000000000, rne, 0x7ff0000000000000, 5
    FOP2D fmul.d, 0x7fefffffffffffff, 0x4000000000000000, rtz, 0x7fefffffffffffff, 5
    FOP2D fmul.d, 0x7fefffffffffffff, 0x4000000000000000, rdn, 0x7fefffffffffffff, 5
    FOP2D fmul.d, 0x7fefffffffffffff, 0x4000000000000000, rup, 0x7ff0000000000000, 5
    FOP2D fmul.d, 0x7fefffffffffffff, 0x4000000000000000, rmm, 0x7ff0000000000000, 5
    FOP2D fmul.d, 0x10000000000000, 0x3fe0000000000001, rne, 0x8000000000000, 3
    FOP2D fmul.d, 0x10000000000000, 0x3fe0000000000001, rtz, 0x8000000000000, 3
    FOP2D fmul.d, 0x10000000000000, 0x3fe0000000000001, rdn, 0x8000000000000, 3
    FOP2D fmul.d, 0x10000000000000, 0x3fe0000000000001, rup, 0x8000000000001, 3
    FOP2D fmul.d, 0x10000000000000, 0x3fe0000000000001, rmm, 0x8000000000001, 3
    FOP2D fmul.d, 0xffefffffffffffff, 0x4000000000000000, rne, 0xfff0000000000000, 5
    FOP2D fmul.d, 0xffefffffffffffff, 0x4000000000000000, rtz, 0xffefffffffffffff, 5
    FOP2D fmul.d, 0xffefffffffffffff, 0x4000000000000000, rdn, 0xfff0000000000000, 5
    FOP2D fmul.d, 0xffefffffffffffff, 0x4000000000000000, rup, 0xffefffffffffffff, 5
    FOP2D fmul.d, 0xffefffffffffffff, 0x4000000000000000, rmm, 0xfff0000000000000, 5
    FOP2D fdiv.d, 0x3ff0000000000000, 0x0, rne, 0x7ff0000000000000, 8
    FOP2D fdiv.d, 0xbff0000000000000, 0x0, rne, 0xfff0000000000000, 8
    FOP2D fdiv.d, 0x0, 0x0, rne, 0x7ff8000000000000, 16
    FOP2D fsub.d, 0x7ff0000000000000, 0x7ff0000000000000, rne, 0x7ff8000000000000, 16
    FOP2D fadd.d, 0x7ff0000000000000, 0x3ff0000000000000, rne, 0x7ff0000000000000, 0
    FOP2D fmul.d, 0x7ff0000000000000, 0x0, rne, 0x7ff8000000000000, 16
    FOP2D fadd.d, 0x7ff0000000000001, 0x3ff0000000000000, rne, 0x7ff8000000000000, 16
    FOP2D fadd.d, 0x7ff8000000000123, 0x3ff0000000000000, rne, 0x7ff8000000000000, 0
    FOP2D fmul.d, 0x8000000000000000, 0x4014000000000000, rne, 0x8000000000000000, 0
    FOP2D fadd.d, 0x8000000000000000, 0x8000000000000000, rne, 0x8000000000000000, 0
    FOP2D fadd.d, 0x8000000000000000, 0x0, rne, 0x0, 0
    FOP2D fdiv.d, 0x3ff0000000000000, 0xfff0000000000000, rne, 0x8000000000000000, 0
    FOP2D fmul.d, 0x10000000000000, 0x10000000000000, rne, 0x0, 3
    FOP2D fsub.d, 0x3ff0000000000000, 0x3ff0000000000000, rdn, 0x8000000000000000, 0
    FOP2S fadd.s, 0x3f800000, 0x33c00000, rne, 0x3f800001, 1
    FOP2S fadd.s, 0x3f800000, 0x33c00000, rtz, 0x3f800000, 1
    FOP2S fadd.s, 0x3f800000, 0x33c00000, rdn, 0x3f800000, 1
    FOP2S fadd.s, 0x3f800000, 0x33c00000, rup, 0x3f800001, 1
    FOP2S fadd.s, 0x3f800000, 0x33c00000, rmm, 0x3f800001, 1
    FOP2S fadd.s, 0x3f800000, 0x33800000, rne, 0x3f800000, 1
    FOP2S fadd.s, 0x3f800000, 0x33800000, rtz, 0x3f800000, 1
    FOP2S fadd.s, 0x3f800000, 0x33800000, rdn, 0x3f800000, 1
    FOP2S fadd.s, 0x3f800000, 0x33800000, rup, 0x3f800001, 1
    FOP2S fadd.s, 0x3f800000, 0x33800000, rmm, 0x3f800001, 1
    FOP2S fadd.s, 0xbf800000, 0xb3800000, rne, 0xbf800000, 1
    FOP2S fadd.s, 0xbf800000, 0xb3800000, rtz, 0xbf800000, 1
    FOP2S fadd.s, 0xbf800000, 0xb3800000, rdn, 0xbf800001, 1
    FOP2S fadd.s, 0xbf800000, 0xb3800000, rup, 0xbf800000, 1
    FOP2S fadd.s, 0xbf800000, 0xb3800000, rmm, 0xbf800001, 1
    FOP2S fadd.s, 0x3f800001, 0x33800000, rne, 0x3f800002, 1
    FOP2S fadd.s, 0x3f800001, 0x33800000, rtz, 0x3f800001, 1
    FOP2S fadd.s, 0x3f800001, 0x33800000, rdn, 0x3f800001, 1
    FOP2S fadd.s, 0x3f800001, 0x33800000, rup, 0x3f800002, 1
    FOP2S fadd.s, 0x3f800001, 0x33800000, rmm, 0x3f800002, 1
    FOP2S fsub.s, 0x3f800000, 0x33000000, rne, 0x3f800000, 1
    FOP2S fsub.s, 0x3f800000, 0x33000000, rtz, 0x3f7fffff, 1
    FOP2S fsub.s, 0x3f800000, 0x33000000, rdn, 0x3f7fffff, 1
    FOP2S fsub.s, 0x3f800000, 0x33000000, rup, 0x3f800000, 1
    FOP2S fsub.s, 0x3f800000, 0x33000000, rmm, 0x3f800000, 1
    FOP2S fsub.s, 0x3f800000, 0x3f800000, rne, 0x0, 0
    FOP2S fsub.s, 0x3f800000, 0x3f800000, rtz, 0x0, 0
    FOP2S fsub.s, 0x3f800000, 0x3f800000, rdn, 0x80000000, 0
    FOP2S fsub.s, 0x3f800000, 0x3f800000, rup, 0x0, 0
    FOP2S fsub.s, 0x3f800000, 0x3f800000, rmm, 0x0, 0
    FOP2S fdiv.s, 0x3f800000, 0x40400000, rne, 0x3eaaaaab, 1
    FOP2S fdiv.s, 0x3f800000, 0x40400000, rtz, 0x3eaaaaaa, 1
    FOP2S fdiv.s, 0x3f800000, 0x40400000, rdn, 0x3eaaaaaa, 1
    FOP2S fdiv.s, 0x3f800000, 0x40400000, rup, 0x3eaaaaab, 1
    FOP2S fdiv.s, 0x3f800000, 0x40400000, rmm, 0x3eaaaaab, 1
    FOP2S fdiv.s, 0xc0000000, 0x40400000, rne, 0xbf2aaaab, 1
    FOP2S fdiv.s, 0xc0000000, 0x40400000, rtz, 0xbf2aaaaa, 1
    FOP2S fdiv.s, 0xc0000000, 0x40400000, rdn, 0xbf2aaaab, 1
    FOP2S fdiv.s, 0xc0000000, 0x40400000, rup, 0xbf2aaaaa, 1
    FOP2S fdiv.s, 0xc0000000, 0x40400000, rmm, 0xbf2aaaab, 1
    FOP2S fmul.s, 0x3f800001, 0x3f800001, rne, 0x3f800002, 1
    FOP2S fmul.s, 0x3f800001, 0x3f800001, rtz, 0x3f800002, 1
    FOP2S fmul.s, 0x3f800001, 0x3f800001, rdn, 0x3f800002, 1
    FOP2S fmul.s, 0x3f800001, 0x3f800001, rup, 0x3f800003, 1
    FOP2S fmul.s, 0x3f800001, 0x3f800001, rmm, 0x3f800002, 1
    FOP2S fmul.s, 0x7f7fffff, 0x40000000, rne, 0x7f800000, 5
    FOP2S fmul.s, 0x7f7fffff, 0x40000000, rtz, 0x7f7fffff, 5
    FOP2S fmul.s, 0x7f7fffff, 0x40000000, rdn, 0x7f7fffff, 5
    FOP2S fmul.s, 0x7f7fffff, 0x40000000, rup, 0x7f800000, 5
    FOP2S fmul.s, 0x7f7fffff, 0x40000000, rmm, 0x7f800000, 5
    FOP2S fmul.s, 0x800000, 0x3f000001, rne, 0x400000, 3
    FOP2S fmul.s, 0x800000, 0x3f000001, rtz, 0x400000, 3
    FOP2S fmul.s, 0x800000, 0x3f000001, rdn, 0x400000, 3
    FOP2S fmul.s, 0x800000, 0x3f000001, rup, 0x400001, 3
    FOP2S fmul.s, 0x800000, 0x3f000001, rmm, 0x400001, 3
    FOP2S fmul.s, 0xff7fffff, 0x40000000, rne, 0xff800000, 5
    FOP2S fmul.s, 0xff7fffff, 0x40000000, rtz, 0xff7fffff, 5
    FOP2S fmul.s, 0xff7fffff, 0x40000000, rdn, 0xff800000, 5
    FOP2S fmul.s, 0xff7fffff, 0x40000000, rup, 0xff7fffff, 5
    FOP2S fmul.s, 0xff7fffff, 0x40000000, rmm, 0xff800000, 5
    FOP2S fdiv.s, 0x3f800000, 0x0, rne, 0x7f800000, 8
    FOP2S fdiv.s, 0xbf800000, 0x0, rne, 0xff800000, 8
    FOP2S fdiv.s, 0x0, 0x0, rne, 0x7fc00000, 16
    FOP2S fsub.s, 0x7f800000, 0x7f800000, rne, 0x7fc00000, 16
    FOP2S fadd.s, 0x7f800000, 0x3f800000, rne, 0x7f800000, 0
    FOP2S fmul.s, 0x7f800000, 0x0, rne, 0x7fc00000, 16
    FOP2S fadd.s, 0x7f800001, 0x3f800000, rne, 0x7fc00000, 16
    FOP2S fadd.s, 0x7fc00123, 0x3f800000, rne, 0x7fc00000, 0
    FOP2S fmul.s, 0x80000000, 0x40a00000, rne, 0x80000000, 0
    FOP2S fadd.s, 0x80000000, 0x80000000, rne, 0x80000000, 0
    FOP2S fadd.s, 0x80000000, 0x0, rne, 0x0, 0
    FOP2S fdiv.s, 0x3f800000, 0xff800000, rne, 0x80000000, 0
    FOP2S fmul.s, 0x800000, 0x800000, rne, 0x0, 3
    FOP2S fsub.s, 0x3f800000, 0x3f800000, rdn, 0x80000000, 0
    FOP1D fsqrt.d, 0x4000000000000000, rne, 0x3ff6a09e667f3bcd, 1
    FOP1D fsqrt.d, 0x4000000000000000, rtz, 0x3ff6a09e667f3bcc, 1
    FOP1D fsqrt.d, 0x4000000000000000, rdn, 0x3ff6a09e667f3bcc, 1
    FOP1D fsqrt.d, 0x4000000000000000, rup, 0x3ff6a09e667f3bcd, 1
    FOP1D fsqrt.d, 0x4000000000000000, rmm, 0x3ff6a09e667f3bcd, 1
    FOP1D fsqrt.d, 0x4008000000000000, rne, 0x3ffbb67ae8584caa, 1
    FOP1D fsqrt.d, 0x4008000000000000, rtz, 0x3ffbb67ae8584caa, 1
    FOP1D fsqrt.d, 0x4008000000000000, rdn, 0x3ffbb67ae8584caa, 1
    FOP1D fsqrt.d, 0x4008000000000000, rup, 0x3ffbb67ae8584cab, 1
    FOP1D fsqrt.d, 0x4008000000000000, rmm, 0x3ffbb67ae8584caa, 1
    FOP1D fsqrt.d, 0xbff0000000000000, rne, 0x7ff8000000000000, 16
    FOP1D fsqrt.d, 0x8000000000000000, rne, 0x8000000000000000, 0
    FOP1D fsqrt.d, 0x7ff0000000000000, rne, 0x7ff0000000000000, 0
    FOP1D fsqrt.d, 0x4010000000000000, rne, 0x4000000000000000, 0
    FOP1D fsqrt.d, 0x7ff4000000000000, rne, 0x7ff8000000000000, 16
    FOP1D fsqrt.d, 0xfff0000000000000, rne, 0x7ff8000000000000, 16
    FOP3D fmadd.d, 0x3ff0000000000001, 0x3feffffffffffffe, 0xbff0000000000000, rne, 0xb970000000000000, 0
    FOP3D fmadd.d, 0x3ff0000000000001, 0x3feffffffffffffe, 0xbff0000000000000, rtz, 0xb970000000000000, 0
    FOP3D fmadd.d, 0x3ff0000000000001, 0x3feffffffffffffe, 0xbff0000000000000, rdn, 0xb970000000000000, 0
    FOP3D fmadd.d, 0x3ff0000000000001, 0x3feffffffffffffe, 0xbff0000000000000, rup, 0xb970000000000000, 0
    FOP3D fmadd.d, 0x3ff0000000000001, 0x3feffffffffffffe, 0xbff0000000000000, rmm, 0xb970000000000000, 0
    FOP3D fmadd.d, 0x4008000000000000, 0x3fd5555555555555, 0xbff0000000000000, rne, 0xbc90000000000000, 0
    FOP3D fmadd.d, 0x4000000000000000, 0x4008000000000000, 0x3fe0000000000000, rne, 0x401a000000000000, 0
    FOP3D fmsub.d, 0x3ff0000000000001, 0x3feffffffffffffe, 0x3ff0000000000000, rne, 0xb970000000000000, 0
    FOP3D fmsub.d, 0x3ff0000000000001, 0x3feffffffffffffe, 0x3ff0000000000000, rtz, 0xb970000000000000, 0
    FOP3D fmsub.d, 0x3ff0000000000001, 0x3feffffffffffffe, 0x3ff0000000000000, rdn, 0xb970000000000000, 0
    FOP3D fmsub.d, 0x3ff0000000000001, 0x3feffffffffffffe, 0x3ff0000000000000, rup, 0xb970000000000000, 0
    FOP3D fmsub.d, 0x3ff0000000000001, 0x3feffffffffffffe, 0x3ff0000000000000, rmm, 0xb970000000000000, 0
    FOP3D fmsub.d, 0x4008000000000000, 0x3fd5555555555555, 0x3ff0000000000000, rne, 0xbc90000000000000, 0
    FOP3D fmsub.d, 0x4000000000000000, 0x4008000000000000, 0x3fe0000000000000, rne, 0x4016000000000000, 0
    FOP3D fnmsub.d, 0x3ff0000000000001, 0x3feffffffffffffe, 0xbff0000000000000, rne, 0xc000000000000000, 1
    FOP3D fnmsub.d, 0x3ff0000000000001, 0x3feffffffffffffe, 0xbff0000000000000, rtz, 0xbfffffffffffffff, 1
    FOP3D fnmsub.d, 0x3ff0000000000001, 0x3feffffffffffffe, 0xbff0000000000000, rdn, 0xc000000000000000, 1
    FOP3D fnmsub.d, 0x3ff0000000000001, 0x3feffffffffffffe, 0xbff0000000000000, rup, 0xbfffffffffffffff, 1
    FOP3D fnmsub.d, 0x3ff0000000000001, 0x3feffffffffffffe, 0xbff0000000000000, rmm, 0xc000000000000000, 1
    FOP3D fnmsub.d, 0x4008000000000000, 0x3fd5555555555555, 0xbff0000000000000, rne, 0xc000000000000000, 1
    FOP3D fnmsub.d, 0x4000000000000000, 0x4008000000000000, 0x3fe0000000000000, rne, 0xc016000000000000, 0
    FOP3D fnmadd.d, 0x3ff0000000000001, 0x3feffffffffffffe, 0x3ff0000000000000, rne, 0xc000000000000000, 1
    FOP3D fnmadd.d, 0x3ff0000000000001, 0x3feffffffffffffe, 0x3ff0000000000000, rtz, 0xbfffffffffffffff, 1
    FOP3D fnmadd.d, 0x3ff0000000000001, 0x3feffffffffffffe, 0x3ff0000000000000, rdn, 0xc000000000000000, 1
    FOP3D fnmadd.d, 0x3ff0000000000001, 0x3feffffffffffffe, 0x3ff0000000000000, rup, 0xbfffffffffffffff, 1
    FOP3D fnmadd.d, 0x3ff0000000000001, 0x3feffffffffffffe, 0x3ff0000000000000, rmm, 0xc000000000000000, 1
    FOP3D fnmadd.d, 0x4008000000000000, 0x3fd5555555555555, 0x3ff0000000000000, rne, 0xc000000000000000, 1
    FOP3D fnmadd.d, 0x4000000000000000, 0x4008000000000000, 0x3fe0000000000000, rne, 0xc01a000000000000, 0
    FOP3D fmadd.d, 0x7ff0000000000000, 0x0, 0x3ff0000000000000, rne, 0x7ff8000000000000, 16
    FOP3D fmadd.d, 0x7ff0000000000000, 0x0, 0x7ff8000000000000, rne, 0x7ff8000000000000, 16
    FOP3D fmadd.d, 0x3ff0000000000000, 0x7ff4000000000000, 0x3ff0000000000000, rne, 0x7ff8000000000000, 16
    FOP3D fmadd.d, 0x7ff8000000000000, 0x3ff0000000000000, 0x4000000000000000, rne, 0x7ff8000000000000, 0
    FOP2ND fsgnj.d, 0x3ff8000000000000, 0xc000000000000000, 0xbff8000000000000, 0
    FOP2ND fsgnjn.d, 0x3ff8000000000000, 0xc000000000000000, 0x3ff8000000000000, 0
    FOP2ND fsgnjx.d, 0x3ff8000000000000, 0xc000000000000000, 0xbff8000000000000, 0
    FOP2ND fsgnj.d, 0xbff8000000000000, 0x4000000000000000, 0x3ff8000000000000, 0
    FOP2ND fsgnjn.d, 0xbff8000000000000, 0x4000000000000000, 0xbff8000000000000, 0
    FOP2ND fsgnjx.d, 0xbff8000000000000, 0x4000000000000000, 0xbff8000000000000, 0
    FOP2ND fsgnj.d, 0xbff8000000000000, 0xc000000000000000, 0xbff8000000000000, 0
    FOP2ND fsgnjn.d, 0xbff8000000000000, 0xc000000000000000, 0x3ff8000000000000, 0
    FOP2ND fsgnjx.d, 0xbff8000000000000, 0xc000000000000000, 0x3ff8000000000000, 0
    FOP2ND fsgnj.d, 0x7ff8000000000000, 0x8000000000000000, 0xfff8000000000000, 0
    FOP2ND fsgnjn.d, 0x7ff8000000000000, 0x8000000000000000, 0x7ff8000000000000, 0
    FOP2ND fsgnjx.d, 0x7ff8000000000000, 0x8000000000000000, 0xfff8000000000000, 0
    FOP2ND fmin.d, 0x3ff0000000000000, 0x4000000000000000, 0x3ff0000000000000, 0
    FOP2ND fmax.d, 0x3ff0000000000000, 0x4000000000000000, 0x4000000000000000, 0
    FOP2ND fmin.d, 0xbff0000000000000, 0xc000000000000000, 0xc000000000000000, 0
    FOP2ND fmax.d, 0xbff0000000000000, 0xc000000000000000, 0xbff0000000000000, 0
    FOP2ND fmin.d, 0x8000000000000000, 0x0, 0x8000000000000000, 0
    FOP2ND fmax.d, 0x8000000000000000, 0x0, 0x0, 0
    FOP2ND fmin.d, 0x0, 0x8000000000000000, 0x8000000000000000, 0
    FOP2ND fmax.d, 0x0, 0x8000000000000000, 0x0, 0
    FOP2ND fmin.d, 0x7ff8000000000000, 0x3ff0000000000000, 0x3ff0000000000000, 0
    FOP2ND fmax.d, 0x7ff8000000000000, 0x3ff0000000000000, 0x3ff0000000000000, 0
    FOP2ND fmin.d, 0x3ff0000000000000, 0x7ff8000000000055, 0x3ff0000000000000, 0
    FOP2ND fmax.d, 0x3ff0000000000000, 0x7ff8000000000055, 0x3ff0000000000000, 0
    FOP2ND fmin.d, 0x7ff4000000000000, 0x3ff0000000000000, 0x3ff0000000000000, 16
    FOP2ND fmax.d, 0x7ff4000000000000, 0x3ff0000000000000, 0x3ff0000000000000, 16
    FOP2ND fmin.d, 0xc008000000000000, 0x7ff4000000000000, 0xc008000000000000, 16
    FOP2ND fmax.d, 0xc008000000000000, 0x7ff4000000000000, 0xc008000000000000, 16
    FOP2ND fmin.d, 0x7ff8000000000000, 0x7ff8000000000055, 0x7ff8000000000000, 0
    FOP2ND fmax.d, 0x7ff8000000000000, 0x7ff8000000000055, 0x7ff8000000000000, 0
    FOP2ND fmin.d, 0x7ff4000000000000, 0x7ff8000000000000, 0x7ff8000000000000, 16
    FOP2ND fmax.d, 0x7ff4000000000000, 0x7ff8000000000000, 0x7ff8000000000000, 16
    FOP2ND fmin.d, 0xfff0000000000000, 0x4014000000000000, 0xfff0000000000000, 0
    FOP2ND fmax.d, 0xfff0000000000000, 0x4014000000000000, 0x4014000000000000, 0
    FCMPD feq.d, 0x3ff0000000000000, 0x4000000000000000, 0, 0
    FCMPD flt.d, 0x3ff0000000000000, 0x4000000000000000, 1, 0
    FCMPD fle.d, 0x3ff0000000000000, 0x4000000000000000, 1, 0
    FCMPD feq.d, 0x4000000000000000, 0x3ff0000000000000, 0, 0
    FCMPD flt.d, 0x4000000000000000, 0x3ff0000000000000, 0, 0
    FCMPD fle.d, 0x4000000000000000, 0x3ff0000000000000, 0, 0
    FCMPD feq.d, 0x3ff0000000000000, 0x3ff0000000000000, 1, 0
    FCMPD flt.d, 0x3ff0000000000000, 0x3ff0000000000000, 0, 0
    FCMPD fle.d, 0x3ff0000000000000, 0x3ff0000000000000, 1, 0
    FCMPD feq.d, 0x8000000000000000, 0x0, 1, 0
    FCMPD flt.d, 0x8000000000000000, 0x0, 0, 0
    FCMPD fle.d, 0x8000000000000000, 0x0, 1, 0
    FCMPD feq.d, 0x7ff8000000000000, 0x3ff0000000000000, 0, 0
    FCMPD flt.d, 0x7ff8000000000000, 0x3ff0000000000000, 0, 16
    FCMPD fle.d, 0x7ff8000000000000, 0x3ff0000000000000, 0, 16
    FCMPD feq.d, 0x3ff0000000000000, 0x7ff4000000000000, 0, 16
    FCMPD flt.d, 0x3ff0000000000000, 0x7ff4000000000000, 0, 16
    FCMPD fle.d, 0x3ff0000000000000, 0x7ff4000000000000, 0, 16
    FCMPD feq.d, 0xfff0000000000000, 0x7ff0000000000000, 0, 0
    FCMPD flt.d, 0xfff0000000000000, 0x7ff0000000000000, 1, 0
    FCMPD fle.d, 0xfff0000000000000, 0x7ff0000000000000, 1, 0
    FCLASSD 0xfff0000000000000, 0x1
    FCLASSD 0xbff0000000000000, 0x2
    FCLASSD 0x8000000000000001, 0x4
    FCLASSD 0x8000000000000000, 0x8
    FCLASSD 0x0, 0x10
    FCLASSD 0x1, 0x20
    FCLASSD 0x3ff0000000000000, 0x40
    FCLASSD 0x7ff0000000000000, 0x80
    FCLASSD 0x7ff4000000000000, 0x100
    FCLASSD 0x7ff8000000000000, 0x200
    FCVTID fcvt.w.d, 0x3ff8000000000000, rne, 0x2, 1
    FCVTID fcvt.w.d, 0x3ff8000000000000, rtz, 0x1, 1
    FCVTID fcvt.w.d, 0x3ff8000000000000, rdn, 0x1, 1
    FCVTID fcvt.w.d, 0x3ff8000000000000, rup, 0x2, 1
    FCVTID fcvt.w.d, 0x3ff8000000000000, rmm, 0x2, 1
    FCVTID fcvt.w.d, 0x4004000000000000, rne, 0x2, 1
    FCVTID fcvt.w.d, 0x4004000000000000, rtz, 0x2, 1
    FCVTID fcvt.w.d, 0x4004000000000000, rdn, 0x2, 1
    FCVTID fcvt.w.d, 0x4004000000000000, rup, 0x3, 1
    FCVTID fcvt.w.d, 0x4004000000000000, rmm, 0x3, 1
    FCVTID fcvt.w.d, 0xbff8000000000000, rne, 0xfffffffffffffffe, 1
    FCVTID fcvt.w.d, 0xbff8000000000000, rtz, 0xffffffffffffffff, 1
    FCVTID fcvt.w.d, 0xbff8000000000000, rdn, 0xfffffffffffffffe, 1
    FCVTID fcvt.w.d, 0xbff8000000000000, rup, 0xffffffffffffffff, 1
    FCVTID fcvt.w.d, 0xbff8000000000000, rmm, 0xfffffffffffffffe, 1
    FCVTID fcvt.w.d, 0xbfe0000000000000, rne, 0x0, 1
    FCVTID fcvt.w.d, 0xbfe0000000000000, rtz, 0x0, 1
    FCVTID fcvt.w.d, 0xbfe0000000000000, rdn, 0xffffffffffffffff, 1
    FCVTID fcvt.w.d, 0xbfe0000000000000, rup, 0x0, 1
    FCVTID fcvt.w.d, 0xbfe0000000000000, rmm, 0xffffffffffffffff, 1
    FCVTID fcvt.w.d, 0x3fd999999999999a, rne, 0x0, 1
    FCVTID fcvt.w.d, 0xc004000000000000, rne, 0xfffffffffffffffe, 1
    FCVTID fcvt.w.d, 0xc004000000000000, rtz, 0xfffffffffffffffe, 1
    FCVTID fcvt.w.d, 0xc004000000000000, rdn, 0xfffffffffffffffd, 1
    FCVTID fcvt.w.d, 0xc004000000000000, rup, 0xfffffffffffffffe, 1
    FCVTID fcvt.w.d, 0xc004000000000000, rmm, 0xfffffffffffffffd, 1
    FCVTID fcvt.w.d, 0x41e65a0bc0000000, rne, 0x7fffffff, 16
    FCVTID fcvt.w.d, 0xc1e65a0bc0000000, rne, 0xffffffff80000000, 16
    FCVTID fcvt.w.d, 0x43e158e460913d00, rne, 0x7fffffff, 16
    FCVTID fcvt.w.d, 0x43e0000000000000, rne, 0x7fffffff, 16
    FCVTID fcvt.w.d, 0xc3e0000000000000, rne, 0xffffffff80000000, 16
    FCVTID fcvt.w.d, 0x43ef399b1438a100, rne, 0x7fffffff, 16
    FCVTID fcvt.w.d, 0x43f0000000000000, rne, 0x7fffffff, 16
    FCVTID fcvt.w.d, 0x7ff0000000000000, rne, 0x7fffffff, 16
    FCVTID fcvt.w.d, 0xfff0000000000000, rne, 0xffffffff80000000, 16
    FCVTID fcvt.w.d, 0x7ff8000000000000, rne, 0x7fffffff, 16
    FCVTID fcvt.w.d, 0x7ff4000000000000, rne, 0x7fffffff, 16
    FCVTID fcvt.w.d, 0x8000000000000000, rne, 0x0, 0
    FCVTID fcvt.w.d, 0x41dfffffffc00000, rne, 0x7fffffff, 0
    FCVTID fcvt.w.d, 0x41efffffffe00000, rne, 0x7fffffff, 16
    FCVTID fcvt.wu.d, 0x3ff8000000000000, rne, 0x2, 1
    FCVTID fcvt.wu.d, 0x3ff8000000000000, rtz, 0x1, 1
    FCVTID fcvt.wu.d, 0x3ff8000000000000, rdn, 0x1, 1
    FCVTID fcvt.wu.d, 0x3ff8000000000000, rup, 0x2, 1
    FCVTID fcvt.wu.d, 0x3ff8000000000000, rmm, 0x2, 1
    FCVTID fcvt.wu.d, 0x4004000000000000, rne, 0x2, 1
    FCVTID fcvt.wu.d, 0x4004000000000000, rtz, 0x2, 1
    FCVTID fcvt.wu.d, 0x4004000000000000, rdn, 0x2, 1
    FCVTID fcvt.wu.d, 0x4004000000000000, rup, 0x3, 1
    FCVTID fcvt.wu.d, 0x4004000000000000, rmm, 0x3, 1
    FCVTID fcvt.wu.d, 0xbff8000000000000, rne, 0x0, 16
    FCVTID fcvt.wu.d, 0xbff8000000000000, rtz, 0x0, 16
    FCVTID fcvt.wu.d, 0xbff8000000000000, rdn, 0x0, 16
    FCVTID fcvt.wu.d, 0xbff8000000000000, rup, 0x0, 16
    FCVTID fcvt.wu.d, 0xbff8000000000000, rmm, 0x0, 16
    FCVTID fcvt.wu.d, 0xbfe0000000000000, rne, 0x0, 1
    FCVTID fcvt.wu.d, 0xbfe0000000000000, rtz, 0x0, 1
    FCVTID fcvt.wu.d, 0xbfe0000000000000, rdn, 0x0, 16
    FCVTID fcvt.wu.d, 0xbfe0000000000000, rup, 0x0, 1
    FCVTID fcvt.wu.d, 0xbfe0000000000000, rmm, 0x0, 16
    FCVTID fcvt.wu.d, 0x3fd999999999999a, rne, 0x0, 1
    FCVTID fcvt.wu.d, 0xc004000000000000, rne, 0x0, 16
    FCVTID fcvt.wu.d, 0xc004000000000000, rtz, 0x0, 16
    FCVTID fcvt.wu.d, 0xc004000000000000, rdn, 0x0, 16
    FCVTID fcvt.wu.d, 0xc004000000000000, rup, 0x0, 16
    FCVTID fcvt.wu.d, 0xc004000000000000, rmm, 0x0, 16
    FCVTID fcvt.wu.d, 0x41e65a0bc0000000, rne, 0xffffffffb2d05e00, 0
    FCVTID fcvt.wu.d, 0xc1e65a0bc0000000, rne, 0x0, 16
    FCVTID fcvt.wu.d, 0x43e158e460913d00, rne, 0xffffffffffffffff, 16
    FCVTID fcvt.wu.d, 0x43e0000000000000, rne, 0xffffffffffffffff, 16
    FCVTID fcvt.wu.d, 0xc3e0000000000000, rne, 0x0, 16
    FCVTID fcvt.wu.d, 0x43ef399b1438a100, rne, 0xffffffffffffffff, 16
    FCVTID fcvt.wu.d, 0x43f0000000000000, rne, 0xffffffffffffffff, 16
    FCVTID fcvt.wu.d, 0x7ff0000000000000, rne, 0xffffffffffffffff, 16
    FCVTID fcvt.wu.d, 0xfff0000000000000, rne, 0x0, 16
    FCVTID fcvt.wu.d, 0x7ff8000000000000, rne, 0xffffffffffffffff, 16
    FCVTID fcvt.wu.d, 0x7ff4000000000000, rne, 0xffffffffffffffff, 16
    FCVTID fcvt.wu.d, 0x8000000000000000, rne, 0x0, 0
    FCVTID fcvt.wu.d, 0x41dfffffffc00000, rne, 0x7fffffff, 0
    FCVTID fcvt.wu.d, 0x41efffffffe00000, rne, 0xffffffffffffffff, 0
    FCVTID fcvt.l.d, 0x3ff8000000000000, rne, 0x2, 1
    FCVTID fcvt.l.d, 0x3ff8000000000000, rtz, 0x1, 1
    FCVTID fcvt.l.d, 0x3ff8000000000000, rdn, 0x1, 1
    FCVTID fcvt.l.d, 0x3ff8000000000000, rup, 0x2, 1
    FCVTID fcvt.l.d, 0x3ff8000000000000, rmm, 0x2, 1
    FCVTID fcvt.l.d, 0x4004000000000000, rne, 0x2, 1
    FCVTID fcvt.l.d, 0x4004000000000000, rtz, 0x2, 1
    FCVTID fcvt.l.d, 0x4004000000000000, rdn, 0x2, 1
    FCVTID fcvt.l.d, 0x4004000000000000, rup, 0x3, 1
    FCVTID fcvt.l.d, 0x4004000000000000, rmm, 0x3, 1
    FCVTID fcvt.l.d, 0xbff8000000000000, rne, 0xfffffffffffffffe, 1
    FCVTID fcvt.l.d, 0xbff8000000000000, rtz, 0xffffffffffffffff, 1
    FCVTID fcvt.l.d, 0xbff8000000000000, rdn, 0xfffffffffffffffe, 1
    FCVTID fcvt.l.d, 0xbff8000000000000, rup, 0xffffffffffffffff, 1
    FCVTID fcvt.l.d, 0xbff8000000000000, rmm, 0xfffffffffffffffe, 1
    FCVTID fcvt.l.d, 0xbfe0000000000000, rne, 0x0, 1
    FCVTID fcvt.l.d, 0xbfe0000000000000, rtz, 0x0, 1
    FCVTID fcvt.l.d, 0xbfe0000000000000, rdn, 0xffffffffffffffff, 1
    FCVTID fcvt.l.d, 0xbfe0000000000000, rup, 0x0, 1
    FCVTID fcvt.l.d, 0xbfe0000000000000, rmm, 0xffffffffffffffff, 1
    FCVTID fcvt.l.d, 0x3fd999999999999a, rne, 0x0, 1
    FCVTID fcvt.l.d, 0xc004000000000000, rne, 0xfffffffffffffffe, 1
    FCVTID fcvt.l.d, 0xc004000000000000, rtz, 0xfffffffffffffffe, 1
    FCVTID fcvt.l.d, 0xc004000000000000, rdn, 0xfffffffffffffffd, 1
    FCVTID fcvt.l.d, 0xc004000000000000, rup, 0xfffffffffffffffe, 1
    FCVTID fcvt.l.d, 0xc004000000000000, rmm, 0xfffffffffffffffd, 1
    FCVTID fcvt.l.d, 0x41e65a0bc0000000, rne, 0xb2d05e00, 0
    FCVTID fcvt.l.d, 0xc1e65a0bc0000000, rne, 0xffffffff4d2fa200, 0
    FCVTID fcvt.l.d, 0x43e158e460913d00, rne, 0x7fffffffffffffff, 16
    FCVTID fcvt.l.d, 0x43e0000000000000, rne, 0x7fffffffffffffff, 16
    FCVTID fcvt.l.d, 0xc3e0000000000000, rne, 0x8000000000000000, 0
    FCVTID fcvt.l.d, 0x43ef399b1438a100, rne, 0x7fffffffffffffff, 16
    FCVTID fcvt.l.d, 0x43f0000000000000, rne, 0x7fffffffffffffff, 16
    FCVTID fcvt.l.d, 0x7ff0000000000000, rne, 0x7fffffffffffffff, 16
    FCVTID fcvt.l.d, 0xfff0000000000000, rne, 0x8000000000000000, 16
    FCVTID fcvt.l.d, 0x7ff8000000000000, rne, 0x7fffffffffffffff, 16
    FCVTID fcvt.l.d, 0x7ff4000000000000, rne, 0x7fffffffffffffff, 16
    FCVTID fcvt.l.d, 0x8000000000000000, rne, 0x0, 0
    FCVTID fcvt.l.d, 0x41dfffffffc00000, rne, 0x7fffffff, 0
    FCVTID fcvt.l.d, 0x41efffffffe00000, rne, 0xffffffff, 0
    FCVTID fcvt.lu.d, 0x3ff8000000000000, rne, 0x2, 1
    FCVTID fcvt.lu.d, 0x3ff8000000000000, rtz, 0x1, 1
    FCVTID fcvt.lu.d, 0x3ff8000000000000, rdn, 0x1, 1
    FCVTID fcvt.lu.d, 0x3ff8000000000000, rup, 0x2, 1
    FCVTID fcvt.lu.d, 0x3ff8000000000000, rmm, 0x2, 1
    FCVTID fcvt.lu.d, 0x4004000000000000, rne, 0x2, 1
    FCVTID fcvt.lu.d, 0x4004000000000000, rtz, 0x2, 1
    FCVTID fcvt.lu.d, 0x4004000000000000, rdn, 0x2, 1
    FCVTID fcvt.lu.d, 0x4004000000000000, rup, 0x3, 1
    FCVTID fcvt.lu.d, 0x4004000000000000, rmm, 0x3, 1
    FCVTID fcvt.lu.d, 0xbff8000000000000, rne, 0x0, 16
    FCVTID fcvt.lu.d, 0xbff8000000000000, rtz, 0x0, 16
    FCVTID fcvt.lu.d, 0xbff8000000000000, rdn, 0x0, 16
    FCVTID fcvt.lu.d, 0xbff8000000000000, rup, 0x0, 16
    FCVTID fcvt.lu.d, 0xbff8000000000000, rmm, 0x0, 16
    FCVTID fcvt.lu.d, 0xbfe0000000000000, rne, 0x0, 1
    FCVTID fcvt.lu.d, 0xbfe0000000000000, rtz, 0x0, 1
    FCVTID fcvt.lu.d, 0xbfe0000000000000, rdn, 0x0, 16
    FCVTID fcvt.lu.d, 0xbfe0000000000000, rup, 0x0, 1
    FCVTID fcvt.lu.d, 0xbfe0000000000000, rmm, 0x0, 16
    FCVTID fcvt.lu.d, 0x3fd999999999999a, rne, 0x0, 1
    FCVTID fcvt.lu.d, 0xc004000000000000, rne, 0x0, 16
    FCVTID fcvt.lu.d, 0xc004000000000000, rtz, 0x0, 16
    FCVTID fcvt.lu.d, 0xc004000000000000, rdn, 0x0, 16
    FCVTID fcvt.lu.d, 0xc004000000000000, rup, 0x0, 16
    FCVTID fcvt.lu.d, 0xc004000000000000, rmm, 0x0, 16
    FCVTID fcvt.lu.d, 0x41e65a0bc0000000, rne, 0xb2d05e00, 0
    FCVTID fcvt.lu.d, 0xc1e65a0bc0000000, rne, 0x0, 16
    FCVTID fcvt.lu.d, 0x43e158e460913d00, rne, 0x8ac7230489e80000, 0
    FCVTID fcvt.lu.d, 0x43e0000000000000, rne, 0x8000000000000000, 0
    FCVTID fcvt.lu.d, 0xc3e0000000000000, rne, 0x0, 16
    FCVTID fcvt.lu.d, 0x43ef399b1438a100, rne, 0xf9ccd8a1c5080000, 0
    FCVTID fcvt.lu.d, 0x43f0000000000000, rne, 0xffffffffffffffff, 16
    FCVTID fcvt.lu.d, 0x7ff0000000000000, rne, 0xffffffffffffffff, 16
    FCVTID fcvt.lu.d, 0xfff0000000000000, rne, 0x0, 16
    FCVTID fcvt.lu.d, 0x7ff8000000000000, rne, 0xffffffffffffffff, 16
    FCVTID fcvt.lu.d, 0x7ff4000000000000, rne, 0xffffffffffffffff, 16
    FCVTID fcvt.lu.d, 0x8000000000000000, rne, 0x0, 0
    FCVTID fcvt.lu.d, 0x41dfffffffc00000, rne, 0x7fffffff, 0
    FCVTID fcvt.lu.d, 0x41efffffffe00000, rne, 0xffffffff, 0
    FCVTFX fcvt.d.w, 0x0, 0x0, 0
    FCVTFX fcvt.d.w, 0x1, 0x3ff0000000000000, 0
    FCVTFX fcvt.d.w, 0xffffffffffffffff, 0xbff0000000000000, 0
    FCVTFX fcvt.d.w, 0x7fffffff, 0x41dfffffffc00000, 0
    FCVTFX fcvt.d.w, 0x80000000, 0xc1e0000000000000, 0
    FCVTFX fcvt.d.w, 0xffffffff, 0xbff0000000000000, 0
    FCVTFX fcvt.d.w, 0x123456789, 0x41c1a2b3c4800000, 0
    FCVTFX fcvt.d.w, 0x7fffffffffffffff, 0xbff0000000000000, 0
    FCVTFX fcvt.d.w, 0x8000000000000000, 0x0, 0
    FCVTFX fcvt.d.w, 0xffffffffffffffff, 0xbff0000000000000, 0
    FCVTFX fcvt.d.w, 0x20000001, 0x41c0000000800000, 0
    FCVTFX fcvt.d.w, 0x1000000000000001, 0x3ff0000000000000, 0
    FCVTFX fcvt.d.w, 0xfffffffffffffff3, 0xc02a000000000000, 0
    FCVTFX fcvt.d.wu, 0x0, 0x0, 0
    FCVTFX fcvt.d.wu, 0x1, 0x3ff0000000000000, 0
    FCVTFX fcvt.d.wu, 0xffffffffffffffff, 0x41efffffffe00000, 0
    FCVTFX fcvt.d.wu, 0x7fffffff, 0x41dfffffffc00000, 0
    FCVTFX fcvt.d.wu, 0x80000000, 0x41e0000000000000, 0
    FCVTFX fcvt.d.wu, 0xffffffff, 0x41efffffffe00000, 0
    FCVTFX fcvt.d.wu, 0x123456789, 0x41c1a2b3c4800000, 0
    FCVTFX fcvt.d.wu, 0x7fffffffffffffff, 0x41efffffffe00000, 0
    FCVTFX fcvt.d.wu, 0x8000000000000000, 0x0, 0
    FCVTFX fcvt.d.wu, 0xffffffffffffffff, 0x41efffffffe00000, 0
    FCVTFX fcvt.d.wu, 0x20000001, 0x41c0000000800000, 0
    FCVTFX fcvt.d.wu, 0x1000000000000001, 0x3ff0000000000000, 0
    FCVTFX fcvt.d.wu, 0xfffffffffffffff3, 0x41effffffe600000, 0
    FCVTFD fcvt.d.l, 0x0, rne, 0x0, 0
    FCVTFD fcvt.d.l, 0x1, rne, 0x3ff0000000000000, 0
    FCVTFD fcvt.d.l, 0xffffffffffffffff, rne, 0xbff0000000000000, 0
    FCVTFD fcvt.d.l, 0x7fffffff, rne, 0x41dfffffffc00000, 0
    FCVTFD fcvt.d.l, 0x80000000, rne, 0x41e0000000000000, 0
    FCVTFD fcvt.d.l, 0xffffffff, rne, 0x41efffffffe00000, 0
    FCVTFD fcvt.d.l, 0x123456789, rne, 0x41f2345678900000, 0
    FCVTFD fcvt.d.l, 0x123456789, rtz, 0x41f2345678900000, 0
    FCVTFD fcvt.d.l, 0x123456789, rdn, 0x41f2345678900000, 0
    FCVTFD fcvt.d.l, 0x123456789, rup, 0x41f2345678900000, 0
    FCVTFD fcvt.d.l, 0x123456789, rmm, 0x41f2345678900000, 0
    FCVTFD fcvt.d.l, 0x7fffffffffffffff, rne, 0x43e0000000000000, 1
    FCVTFD fcvt.d.l, 0x7fffffffffffffff, rtz, 0x43dfffffffffffff, 1
    FCVTFD fcvt.d.l, 0x7fffffffffffffff, rdn, 0x43dfffffffffffff, 1
    FCVTFD fcvt.d.l, 0x7fffffffffffffff, rup, 0x43e0000000000000, 1
    FCVTFD fcvt.d.l, 0x7fffffffffffffff, rmm, 0x43e0000000000000, 1
    FCVTFD fcvt.d.l, 0x8000000000000000, rne, 0xc3e0000000000000, 0
    FCVTFD fcvt.d.l, 0xffffffffffffffff, rne, 0xbff0000000000000, 0
    FCVTFD fcvt.d.l, 0x20000001, rne, 0x41c0000000800000, 0
    FCVTFD fcvt.d.l, 0x1000000000000001, rne, 0x43b0000000000000, 1
    FCVTFD fcvt.d.l, 0x1000000000000001, rtz, 0x43b0000000000000, 1
    FCVTFD fcvt.d.l, 0x1000000000000001, rdn, 0x43b0000000000000, 1
    FCVTFD fcvt.d.l, 0x1000000000000001, rup, 0x43b0000000000001, 1
    FCVTFD fcvt.d.l, 0x1000000000000001, rmm, 0x43b0000000000000, 1
    FCVTFD fcvt.d.l, 0xfffffffffffffff3, rne, 0xc02a000000000000, 0
    FCVTFD fcvt.d.l, 0xfffffffffffffff3, rtz, 0xc02a000000000000, 0
    FCVTFD fcvt.d.l, 0xfffffffffffffff3, rdn, 0xc02a000000000000, 0
    FCVTFD fcvt.d.l, 0xfffffffffffffff3, rup, 0xc02a000000000000, 0
    FCVTFD fcvt.d.l, 0xfffffffffffffff3, rmm, 0xc02a000000000000, 0
    FCVTFD fcvt.d.lu, 0x0, rne, 0x0, 0
    FCVTFD fcvt.d.lu, 0x1, rne, 0x3ff0000000000000, 0
    FCVTFD fcvt.d.lu, 0xffffffffffffffff, rne, 0x43f0000000000000, 1
    FCVTFD fcvt.d.lu, 0x7fffffff, rne, 0x41dfffffffc00000, 0
    FCVTFD fcvt.d.lu, 0x80000000, rne, 0x41e0000000000000, 0
    FCVTFD fcvt.d.lu, 0xffffffff, rne, 0x41efffffffe00000, 0
    FCVTFD fcvt.d.lu, 0x123456789, rne, 0x41f2345678900000, 0
    FCVTFD fcvt.d.lu, 0x123456789, rtz, 0x41f2345678900000, 0
    FCVTFD fcvt.d.lu, 0x123456789, rdn, 0x41f2345678900000, 0
    FCVTFD fcvt.d.lu, 0x123456789, rup, 0x41f2345678900000, 0
    FCVTFD fcvt.d.lu, 0x123456789, rmm, 0x41f2345678900000, 0
    FCVTFD fcvt.d.lu, 0x7fffffffffffffff, rne, 0x43e0000000000000, 1
    FCVTFD fcvt.d.lu, 0x7fffffffffffffff, rtz, 0x43dfffffffffffff, 1
    FCVTFD fcvt.d.lu, 0x7fffffffffffffff, rdn, 0x43dfffffffffffff, 1
    FCVTFD fcvt.d.lu, 0x7fffffffffffffff, rup, 0x43e0000000000000, 1
    FCVTFD fcvt.d.lu, 0x7fffffffffffffff, rmm, 0x43e0000000000000, 1
    FCVTFD fcvt.d.lu, 0x8000000000000000, rne, 0x43e0000000000000, 0
    FCVTFD fcvt.d.lu, 0xffffffffffffffff, rne, 0x43f0000000000000, 1
    FCVTFD fcvt.d.lu, 0x20000001, rne, 0x41c0000000800000, 0
    FCVTFD fcvt.d.lu, 0x1000000000000001, rne, 0x43b0000000000000, 1
    FCVTFD fcvt.d.lu, 0x1000000000000001, rtz, 0x43b0000000000000, 1
    FCVTFD fcvt.d.lu, 0x1000000000000001, rdn, 0x43b0000000000000, 1
    FCVTFD fcvt.d.lu, 0x1000000000000001, rup, 0x43b0000000000001, 1
    FCVTFD fcvt.d.lu, 0x1000000000000001, rmm, 0x43b0000000000000, 1
    FCVTFD fcvt.d.lu, 0xfffffffffffffff3, rne, 0x43f0000000000000, 1
    FCVTFD fcvt.d.lu, 0xfffffffffffffff3, rtz, 0x43efffffffffffff, 1
    FCVTFD fcvt.d.lu, 0xfffffffffffffff3, rdn, 0x43efffffffffffff, 1
    FCVTFD fcvt.d.lu, 0xfffffffffffffff3, rup, 0x43f0000000000000, 1
    FCVTFD fcvt.d.lu, 0xfffffffffffffff3, rmm, 0x43f0000000000000, 1
    FOP1S fsqrt.s, 0x40000000, rne, 0x3fb504f3, 1
    FOP1S fsqrt.s, 0x40000000, rtz, 0x3fb504f3, 1
    FOP1S fsqrt.s, 0x40000000, rdn, 0x3fb504f3, 1
    FOP1S fsqrt.s, 0x40000000, rup, 0x3fb504f4, 1
    FOP1S fsqrt.s, 0x40000000, rmm, 0x3fb504f3, 1
    FOP1S fsqrt.s, 0x40400000, rne, 0x3fddb3d7, 1
    FOP1S fsqrt.s, 0x40400000, rtz, 0x3fddb3d7, 1
    FOP1S fsqrt.s, 0x40400000, rdn, 0x3fddb3d7, 1
    FOP1S fsqrt.s, 0x40400000, rup, 0x3fddb3d8, 1
    FOP1S fsqrt.s, 0x40400000, rmm, 0x3fddb3d7, 1
    FOP1S fsqrt.s, 0xbf800000, rne, 0x7fc00000, 16
    FOP1S fsqrt.s, 0x80000000, rne, 0x80000000, 0
    FOP1S fsqrt.s, 0x7f800000, rne, 0x7f800000, 0
    FOP1S fsqrt.s, 0x40800000, rne, 0x40000000, 0
    FOP1S fsqrt.s, 0x7fa00000, rne, 0x7fc00000, 16
    FOP1S fsqrt.s, 0xff800000, rne, 0x7fc00000, 16
    FOP3S fmadd.s, 0x3f800001, 0x3f7ffffe, 0xbf800000, rne, 0xa8800000, 0
    FOP3S fmadd.s, 0x3f800001, 0x3f7ffffe, 0xbf800000, rtz, 0xa8800000, 0
    FOP3S fmadd.s, 0x3f800001, 0x3f7ffffe, 0xbf800000, rdn, 0xa8800000, 0
    FOP3S fmadd.s, 0x3f800001, 0x3f7ffffe, 0xbf800000, rup, 0xa8800000, 0
    FOP3S fmadd.s, 0x3f800001, 0x3f7ffffe, 0xbf800000, rmm, 0xa8800000, 0
    FOP3S fmadd.s, 0x40400000, 0x3eaaaaab, 0xbf800000, rne, 0x33000000, 0
    FOP3S fmadd.s, 0x40000000, 0x40400000, 0x3f000000, rne, 0x40d00000, 0
    FOP3S fmsub.s, 0x3f800001, 0x3f7ffffe, 0x3f800000, rne, 0xa8800000, 0
    FOP3S fmsub.s, 0x3f800001, 0x3f7ffffe, 0x3f800000, rtz, 0xa8800000, 0
    FOP3S fmsub.s, 0x3f800001, 0x3f7ffffe, 0x3f800000, rdn, 0xa8800000, 0
    FOP3S fmsub.s, 0x3f800001, 0x3f7ffffe, 0x3f800000, rup, 0xa8800000, 0
    FOP3S fmsub.s, 0x3f800001, 0x3f7ffffe, 0x3f800000, rmm, 0xa8800000, 0
    FOP3S fmsub.s, 0x40400000, 0x3eaaaaab, 0x3f800000, rne, 0x33000000, 0
    FOP3S fmsub.s, 0x40000000, 0x40400000, 0x3f000000, rne, 0x40b00000, 0
    FOP3S fnmsub.s, 0x3f800001, 0x3f7ffffe, 0xbf800000, rne, 0xc0000000, 1
    FOP3S fnmsub.s, 0x3f800001, 0x3f7ffffe, 0xbf800000, rtz, 0xbfffffff, 1
    FOP3S fnmsub.s, 0x3f800001, 0x3f7ffffe, 0xbf800000, rdn, 0xc0000000, 1
    FOP3S fnmsub.s, 0x3f800001, 0x3f7ffffe, 0xbf800000, rup, 0xbfffffff, 1
    FOP3S fnmsub.s, 0x3f800001, 0x3f7ffffe, 0xbf800000, rmm, 0xc0000000, 1
    FOP3S fnmsub.s, 0x40400000, 0x3eaaaaab, 0xbf800000, rne, 0xc0000000, 1
    FOP3S fnmsub.s, 0x40000000, 0x40400000, 0x3f000000, rne, 0xc0b00000, 0
    FOP3S fnmadd.s, 0x3f800001, 0x3f7ffffe, 0x3f800000, rne, 0xc0000000, 1
    FOP3S fnmadd.s, 0x3f800001, 0x3f7ffffe, 0x3f800000, rtz, 0xbfffffff, 1
    FOP3S fnmadd.s, 0x3f800001, 0x3f7ffffe, 0x3f800000, rdn, 0xc0000000, 1
    FOP3S fnmadd.s, 0x3f800001, 0x3f7ffffe, 0x3f800000, rup, 0xbfffffff, 1
    FOP3S fnmadd.s, 0x3f800001, 0x3f7ffffe, 0x3f800000, rmm, 0xc0000000, 1
    FOP3S fnmadd.s, 0x40400000, 0x3eaaaaab, 0x3f800000, rne, 0xc0000000, 1
    FOP3S fnmadd.s, 0x40000000, 0x40400000, 0x3f000000, rne, 0xc0d00000, 0
    FOP3S fmadd.s, 0x7f800000, 0x0, 0x3f800000, rne, 0x7fc00000, 16
    FOP3S fmadd.s, 0x7f800000, 0x0, 0x7fc00000, rne, 0x7fc00000, 16
    FOP3S fmadd.s, 0x3f800000, 0x7fa00000, 0x3f800000, rne, 0x7fc00000, 16
    FOP3S fmadd.s, 0x7fc00000, 0x3f800000, 0x40000000, rne, 0x7fc00000, 0
    FOP2NS fsgnj.s, 0x3fc00000, 0xc0000000, 0xbfc00000, 0
    FOP2NS fsgnjn.s, 0x3fc00000, 0xc0000000, 0x3fc00000, 0
    FOP2NS fsgnjx.s, 0x3fc00000, 0xc0000000, 0xbfc00000, 0
    FOP2NS fsgnj.s, 0xbfc00000, 0x40000000, 0x3fc00000, 0
    FOP2NS fsgnjn.s, 0xbfc00000, 0x40000000, 0xbfc00000, 0
    FOP2NS fsgnjx.s, 0xbfc00000, 0x40000000, 0xbfc00000, 0
    FOP2NS fsgnj.s, 0xbfc00000, 0xc0000000, 0xbfc00000, 0
    FOP2NS fsgnjn.s, 0xbfc00000, 0xc0000000, 0x3fc00000, 0
    FOP2NS fsgnjx.s, 0xbfc00000, 0xc0000000, 0x3fc00000, 0
    FOP2NS fsgnj.s, 0x7fc00000, 0x80000000, 0xffc00000, 0
    FOP2NS fsgnjn.s, 0x7fc00000, 0x80000000, 0x7fc00000, 0
    FOP2NS fsgnjx.s, 0x7fc00000, 0x80000000, 0xffc00000, 0
    FOP2NS fmin.s, 0x3f800000, 0x40000000, 0x3f800000, 0
    FOP2NS fmax.s, 0x3f800000, 0x40000000, 0x40000000, 0
    FOP2NS fmin.s, 0xbf800000, 0xc0000000, 0xc0000000, 0
    FOP2NS fmax.s, 0xbf800000, 0xc0000000, 0xbf800000, 0
    FOP2NS fmin.s, 0x80000000, 0x0, 0x80000000, 0
    FOP2NS fmax.s, 0x80000000, 0x0, 0x0, 0
    FOP2NS fmin.s, 0x0, 0x80000000, 0x80000000, 0
    FOP2NS fmax.s, 0x0, 0x80000000, 0x0, 0
    FOP2NS fmin.s, 0x7fc00000, 0x3f800000, 0x3f800000, 0
    FOP2NS fmax.s, 0x7fc00000, 0x3f800000, 0x3f800000, 0
    FOP2NS fmin.s, 0x3f800000, 0x7fc00055, 0x3f800000, 0
    FOP2NS fmax.s, 0x3f800000, 0x7fc00055, 0x3f800000, 0
    FOP2NS fmin.s, 0x7fa00000, 0x3f800000, 0x3f800000, 16
    FOP2NS fmax.s, 0x7fa00000, 0x3f800000, 0x3f800000, 16
    FOP2NS fmin.s, 0xc0400000, 0x7fa00000, 0xc0400000, 16
    FOP2NS fmax.s, 0xc0400000, 0x7fa00000, 0xc0400000, 16
    FOP2NS fmin.s, 0x7fc00000, 0x7fc00055, 0x7fc00000, 0
    FOP2NS fmax.s, 0x7fc00000, 0x7fc00055, 0x7fc00000, 0
    FOP2NS fmin.s, 0x7fa00000, 0x7fc00000, 0x7fc00000, 16
    FOP2NS fmax.s, 0x7fa00000, 0x7fc00000, 0x7fc00000, 16
    FOP2NS fmin.s, 0xff800000, 0x40a00000, 0xff800000, 0
    FOP2NS fmax.s, 0xff800000, 0x40a00000, 0x40a00000, 0
    FCMPS feq.s, 0x3f800000, 0x40000000, 0, 0
    FCMPS flt.s, 0x3f800000, 0x40000000, 1, 0
    FCMPS fle.s, 0x3f800000, 0x40000000, 1, 0
    FCMPS feq.s, 0x40000000, 0x3f800000, 0, 0
    FCMPS flt.s, 0x40000000, 0x3f800000, 0, 0
    FCMPS fle.s, 0x40000000, 0x3f800000, 0, 0
    FCMPS feq.s, 0x3f800000, 0x3f800000, 1, 0
    FCMPS flt.s, 0x3f800000, 0x3f800000, 0, 0
    FCMPS fle.s, 0x3f800000, 0x3f800000, 1, 0
    FCMPS feq.s, 0x80000000, 0x0, 1, 0
    FCMPS flt.s, 0x80000000, 0x0, 0, 0
    FCMPS fle.s, 0x80000000, 0x0, 1, 0
    FCMPS feq.s, 0x7fc00000, 0x3f800000, 0, 0
    FCMPS flt.s, 0x7fc00000, 0x3f800000, 0, 16
    FCMPS fle.s, 0x7fc00000, 0x3f800000, 0, 16
    FCMPS feq.s, 0x3f800000, 0x7fa00000, 0, 16
    FCMPS flt.s, 0x3f800000, 0x7fa00000, 0, 16
    FCMPS fle.s, 0x3f800000, 0x7fa00000, 0, 16
    FCMPS feq.s, 0xff800000, 0x7f800000, 0, 0
    FCMPS flt.s, 0xff800000, 0x7f800000, 1, 0
    FCMPS fle.s, 0xff800000, 0x7f800000, 1, 0
    FCLASSS 0xff800000, 0x1
    FCLASSS 0xbf800000, 0x2
    FCLASSS 0x80000001, 0x4
    FCLASSS 0x80000000, 0x8
    FCLASSS 0x0, 0x10
    FCLASSS 0x1, 0x20
    FCLASSS 0x3f800000, 0x40
    FCLASSS 0x7f800000, 0x80
    FCLASSS 0x7fa00000, 0x100
    FCLASSS 0x7fc00000, 0x200
    FCVTIS fcvt.w.s, 0x3fc00000, rne, 0x2, 1
    FCVTIS fcvt.w.s, 0x3fc00000, rtz, 0x1, 1
    FCVTIS fcvt.w.s, 0x3fc00000, rdn, 0x1, 1
    FCVTIS fcvt.w.s, 0x3fc00000, rup, 0x2, 1
    FCVTIS fcvt.w.s, 0x3fc00000, rmm, 0x2, 1
    FCVTIS fcvt.w.s, 0x40200000, rne, 0x2, 1
    FCVTIS fcvt.w.s, 0x40200000, rtz, 0x2, 1
    FCVTIS fcvt.w.s, 0x40200000, rdn, 0x2, 1
    FCVTIS fcvt.w.s, 0x40200000, rup, 0x3, 1
    FCVTIS fcvt.w.s, 0x40200000, rmm, 0x3, 1
    FCVTIS fcvt.w.s, 0xbfc00000, rne, 0xfffffffffffffffe, 1
    FCVTIS fcvt.w.s, 0xbfc00000, rtz, 0xffffffffffffffff, 1
    FCVTIS fcvt.w.s, 0xbfc00000, rdn, 0xfffffffffffffffe, 1
    FCVTIS fcvt.w.s, 0xbfc00000, rup, 0xffffffffffffffff, 1
    FCVTIS fcvt.w.s, 0xbfc00000, rmm, 0xfffffffffffffffe, 1
    FCVTIS fcvt.w.s, 0xbf000000, rne, 0x0, 1
    FCVTIS fcvt.w.s, 0xbf000000, rtz, 0x0, 1
    FCVTIS fcvt.w.s, 0xbf000000, rdn, 0xffffffffffffffff, 1
    FCVTIS fcvt.w.s, 0xbf000000, rup, 0x0, 1
    FCVTIS fcvt.w.s, 0xbf000000, rmm, 0xffffffffffffffff, 1
    FCVTIS fcvt.w.s, 0x3ecccccd, rne, 0x0, 1
    FCVTIS fcvt.w.s, 0xc0200000, rne, 0xfffffffffffffffe, 1
    FCVTIS fcvt.w.s, 0xc0200000, rtz, 0xfffffffffffffffe, 1
    FCVTIS fcvt.w.s, 0xc0200000, rdn, 0xfffffffffffffffd, 1
    FCVTIS fcvt.w.s, 0xc0200000, rup, 0xfffffffffffffffe, 1
    FCVTIS fcvt.w.s, 0xc0200000, rmm, 0xfffffffffffffffd, 1
    FCVTIS fcvt.w.s, 0x4f32d05e, rne, 0x7fffffff, 16
    FCVTIS fcvt.w.s, 0xcf32d05e, rne, 0xffffffff80000000, 16
    FCVTIS fcvt.w.s, 0x5f0ac723, rne, 0x7fffffff, 16
    FCVTIS fcvt.w.s, 0x5f000000, rne, 0x7fffffff, 16
    FCVTIS fcvt.w.s, 0xdf000000, rne, 0xffffffff80000000, 16
    FCVTIS fcvt.w.s, 0x5f79ccd9, rne, 0x7fffffff, 16
    FCVTIS fcvt.w.s, 0x5f800000, rne, 0x7fffffff, 16
    FCVTIS fcvt.w.s, 0x7f800000, rne, 0x7fffffff, 16
    FCVTIS fcvt.w.s, 0xff800000, rne, 0xffffffff80000000, 16
    FCVTIS fcvt.w.s, 0x7fc00000, rne, 0x7fffffff, 16
    FCVTIS fcvt.w.s, 0x7fa00000, rne, 0x7fffffff, 16
    FCVTIS fcvt.w.s, 0x80000000, rne, 0x0, 0
    FCVTIS fcvt.w.s, 0x4effffff, rne, 0x7fffff80, 0
    FCVTIS fcvt.w.s, 0x4f7fffff, rne, 0x7fffffff, 16
    FCVTIS fcvt.wu.s, 0x3fc00000, rne, 0x2, 1
    FCVTIS fcvt.wu.s, 0x3fc00000, rtz, 0x1, 1
    FCVTIS fcvt.wu.s, 0x3fc00000, rdn, 0x1, 1
    FCVTIS fcvt.wu.s, 0x3fc00000, rup, 0x2, 1
    FCVTIS fcvt.wu.s, 0x3fc00000, rmm, 0x2, 1
    FCVTIS fcvt.wu.s, 0x40200000, rne, 0x2, 1
    FCVTIS fcvt.wu.s, 0x40200000, rtz, 0x2, 1
    FCVTIS fcvt.wu.s, 0x40200000, rdn, 0x2, 1
    FCVTIS fcvt.wu.s, 0x40200000, rup, 0x3, 1
    FCVTIS fcvt.wu.s, 0x40200000, rmm, 0x3, 1
    FCVTIS fcvt.wu.s, 0xbfc00000, rne, 0x0, 16
    FCVTIS fcvt.wu.s, 0xbfc00000, rtz, 0x0, 16
    FCVTIS fcvt.wu.s, 0xbfc00000, rdn, 0x0, 16
    FCVTIS fcvt.wu.s, 0xbfc00000, rup, 0x0, 16
    FCVTIS fcvt.wu.s, 0xbfc00000, rmm, 0x0, 16
    FCVTIS fcvt.wu.s, 0xbf000000, rne, 0x0, 1
    FCVTIS fcvt.wu.s, 0xbf000000, rtz, 0x0, 1
    FCVTIS fcvt.wu.s, 0xbf000000, rdn, 0x0, 16
    FCVTIS fcvt.wu.s, 0xbf000000, rup, 0x0, 1
    FCVTIS fcvt.wu.s, 0xbf000000, rmm, 0x0, 16
    FCVTIS fcvt.wu.s, 0x3ecccccd, rne, 0x0, 1
    FCVTIS fcvt.wu.s, 0xc0200000, rne, 0x0, 16
    FCVTIS fcvt.wu.s, 0xc0200000, rtz, 0x0, 16
    FCVTIS fcvt.wu.s, 0xc0200000, rdn, 0x0, 16
    FCVTIS fcvt.wu.s, 0xc0200000, rup, 0x0, 16
    FCVTIS fcvt.wu.s, 0xc0200000, rmm, 0x0, 16
    FCVTIS fcvt.wu.s, 0x4f32d05e, rne, 0xffffffffb2d05e00, 0
    FCVTIS fcvt.wu.s, 0xcf32d05e, rne, 0x0, 16
    FCVTIS fcvt.wu.s, 0x5f0ac723, rne, 0xffffffffffffffff, 16
    FCVTIS fcvt.wu.s, 0x5f000000, rne, 0xffffffffffffffff, 16
    FCVTIS fcvt.wu.s, 0xdf000000, rne, 0x0, 16
    FCVTIS fcvt.wu.s, 0x5f79ccd9, rne, 0xffffffffffffffff, 16
    FCVTIS fcvt.wu.s, 0x5f800000, rne, 0xffffffffffffffff, 16
    FCVTIS fcvt.wu.s, 0x7f800000, rne, 0xffffffffffffffff, 16
    FCVTIS fcvt.wu.s, 0xff800000, rne, 0x0, 16
    FCVTIS fcvt.wu.s, 0x7fc00000, rne, 0xffffffffffffffff, 16
    FCVTIS fcvt.wu.s, 0x7fa00000, rne, 0xffffffffffffffff, 16
    FCVTIS fcvt.wu.s, 0x80000000, rne, 0x0, 0
    FCVTIS fcvt.wu.s, 0x4effffff, rne, 0x7fffff80, 0
    FCVTIS fcvt.wu.s, 0x4f7fffff, rne, 0xffffffffffffff00, 0
    FCVTIS fcvt.l.s, 0x3fc00000, rne, 0x2, 1
    FCVTIS fcvt.l.s, 0x3fc00000, rtz, 0x1, 1
    FCVTIS fcvt.l.s, 0x3fc00000, rdn, 0x1, 1
    FCVTIS fcvt.l.s, 0x3fc00000, rup, 0x2, 1
    FCVTIS fcvt.l.s, 0x3fc00000, rmm, 0x2, 1
    FCVTIS fcvt.l.s, 0x40200000, rne, 0x2, 1
    FCVTIS fcvt.l.s, 0x40200000, rtz, 0x2, 1
    FCVTIS fcvt.l.s, 0x40200000, rdn, 0x2, 1
    FCVTIS fcvt.l.s, 0x40200000, rup, 0x3, 1
    FCVTIS fcvt.l.s, 0x40200000, rmm, 0x3, 1
    FCVTIS fcvt.l.s, 0xbfc00000, rne, 0xfffffffffffffffe, 1
    FCVTIS fcvt.l.s, 0xbfc00000, rtz, 0xffffffffffffffff, 1
    FCVTIS fcvt.l.s, 0xbfc00000, rdn, 0xfffffffffffffffe, 1
    FCVTIS fcvt.l.s, 0xbfc00000, rup, 0xffffffffffffffff, 1
    FCVTIS fcvt.l.s, 0xbfc00000, rmm, 0xfffffffffffffffe, 1
    FCVTIS fcvt.l.s, 0xbf000000, rne, 0x0, 1
    FCVTIS fcvt.l.s, 0xbf000000, rtz, 0x0, 1
    FCVTIS fcvt.l.s, 0xbf000000, rdn, 0xffffffffffffffff, 1
    FCVTIS fcvt.l.s, 0xbf000000, rup, 0x0, 1
    FCVTIS fcvt.l.s, 0xbf000000, rmm, 0xffffffffffffffff, 1
    FCVTIS fcvt.l.s, 0x3ecccccd, rne, 0x0, 1
    FCVTIS fcvt.l.s, 0xc0200000, rne, 0xfffffffffffffffe, 1
    FCVTIS fcvt.l.s, 0xc0200000, rtz, 0xfffffffffffffffe, 1
    FCVTIS fcvt.l.s, 0xc0200000, rdn, 0xfffffffffffffffd, 1
    FCVTIS fcvt.l.s, 0xc0200000, rup, 0xfffffffffffffffe, 1
    FCVTIS fcvt.l.s, 0xc0200000, rmm, 0xfffffffffffffffd, 1
    FCVTIS fcvt.l.s, 0x4f32d05e, rne, 0xb2d05e00, 0
    FCVTIS fcvt.l.s, 0xcf32d05e, rne, 0xffffffff4d2fa200, 0
    FCVTIS fcvt.l.s, 0x5f0ac723, rne, 0x7fffffffffffffff, 16
    FCVTIS fcvt.l.s, 0x5f000000, rne, 0x7fffffffffffffff, 16
    FCVTIS fcvt.l.s, 0xdf000000, rne, 0x8000000000000000, 0
    FCVTIS fcvt.l.s, 0x5f79ccd9, rne, 0x7fffffffffffffff, 16
    FCVTIS fcvt.l.s, 0x5f800000, rne, 0x7fffffffffffffff, 16
    FCVTIS fcvt.l.s, 0x7f800000, rne, 0x7fffffffffffffff, 16
    FCVTIS fcvt.l.s, 0xff800000, rne, 0x8000000000000000, 16
    FCVTIS fcvt.l.s, 0x7fc00000, rne, 0x7fffffffffffffff, 16
    FCVTIS fcvt.l.s, 0x7fa00000, rne, 0x7fffffffffffffff, 16
    FCVTIS fcvt.l.s, 0x80000000, rne, 0x0, 0
    FCVTIS fcvt.l.s, 0x4effffff, rne, 0x7fffff80, 0
    FCVTIS fcvt.l.s, 0x4f7fffff, rne, 0xffffff00, 0
    FCVTIS fcvt.lu.s, 0x3fc00000, rne, 0x2, 1
    FCVTIS fcvt.lu.s, 0x3fc00000, rtz, 0x1, 1
    FCVTIS fcvt.lu.s, 0x3fc00000, rdn, 0x1, 1
    FCVTIS fcvt.lu.s, 0x3fc00000, rup, 0x2, 1
    FCVTIS fcvt.lu.s, 0x3fc00000, rmm, 0x2, 1
    FCVTIS fcvt.lu.s, 0x40200000, rne, 0x2, 1
    FCVTIS fcvt.lu.s, 0x40200000, rtz, 0x2, 1
    FCVTIS fcvt.lu.s, 0x40200000, rdn, 0x2, 1
    FCVTIS fcvt.lu.s, 0x40200000, rup, 0x3, 1
    FCVTIS fcvt.lu.s, 0x40200000, rmm, 0x3, 1
    FCVTIS fcvt.lu.s, 0xbfc00000, rne, 0x0, 16
    FCVTIS fcvt.lu.s, 0xbfc00000, rtz, 0x0, 16
    FCVTIS fcvt.lu.s, 0xbfc00000, rdn, 0x0, 16
    FCVTIS fcvt.lu.s, 0xbfc00000, rup, 0x0, 16
    FCVTIS fcvt.lu.s, 0xbfc00000, rmm, 0x0, 16
    FCVTIS fcvt.lu.s, 0xbf000000, rne, 0x0, 1
    FCVTIS fcvt.lu.s, 0xbf000000, rtz, 0x0, 1
    FCVTIS fcvt.lu.s, 0xbf000000, rdn, 0x0, 16
    FCVTIS fcvt.lu.s, 0xbf000000, rup, 0x0, 1
    FCVTIS fcvt.lu.s, 0xbf000000, rmm, 0x0, 16
    FCVTIS fcvt.lu.s, 0x3ecccccd, rne, 0x0, 1
    FCVTIS fcvt.lu.s, 0xc0200000, rne, 0x0, 16
    FCVTIS fcvt.lu.s, 0xc0200000, rtz, 0x0, 16
    FCVTIS fcvt.lu.s, 0xc0200000, rdn, 0x0, 16
    FCVTIS fcvt.lu.s, 0xc0200000, rup, 0x0, 16
    FCVTIS fcvt.lu.s, 0xc0200000, rmm, 0x0, 16
    FCVTIS fcvt.lu.s, 0x4f32d05e, rne, 0xb2d05e00, 0
    FCVTIS fcvt.lu.s, 0xcf32d05e, rne, 0x0, 16
    FCVTIS fcvt.lu.s, 0x5f0ac723, rne, 0x8ac7230000000000, 0
    FCVTIS fcvt.lu.s, 0x5f000000, rne, 0x8000000000000000, 0
    FCVTIS fcvt.lu.s, 0xdf000000, rne, 0x0, 16
    FCVTIS fcvt.lu.s, 0x5f79ccd9, rne, 0xf9ccd90000000000, 0
    FCVTIS fcvt.lu.s, 0x5f800000, rne, 0xffffffffffffffff, 16
    FCVTIS fcvt.lu.s, 0x7f800000, rne, 0xffffffffffffffff, 16
    FCVTIS fcvt.lu.s, 0xff800000, rne, 0x0, 16
    FCVTIS fcvt.lu.s, 0x7fc00000, rne, 0xffffffffffffffff, 16
    FCVTIS fcvt.lu.s, 0x7fa00000, rne, 0xffffffffffffffff, 16
    FCVTIS fcvt.lu.s, 0x80000000, rne, 0x0, 0
    FCVTIS fcvt.lu.s, 0x4effffff, rne, 0x7fffff80, 0
    FCVTIS fcvt.lu.s, 0x4f7fffff, rne, 0xffffff00, 0
    FCVTFS fcvt.s.w, 0x0, rne, 0x0, 0
    FCVTFS fcvt.s.w, 0x1, rne, 0x3f800000, 0
    FCVTFS fcvt.s.w, 0xffffffffffffffff, rne, 0xbf800000, 0
    FCVTFS fcvt.s.w, 0x7fffffff, rne, 0x4f000000, 1
    FCVTFS fcvt.s.w, 0x80000000, rne, 0xcf000000, 0
    FCVTFS fcvt.s.w, 0xffffffff, rne, 0xbf800000, 0
    FCVTFS fcvt.s.w, 0x123456789, rne, 0x4e0d159e, 1
    FCVTFS fcvt.s.w, 0x123456789, rtz, 0x4e0d159e, 1
    FCVTFS fcvt.s.w, 0x123456789, rdn, 0x4e0d159e, 1
    FCVTFS fcvt.s.w, 0x123456789, rup, 0x4e0d159f, 1
    FCVTFS fcvt.s.w, 0x123456789, rmm, 0x4e0d159e, 1
    FCVTFS fcvt.s.w, 0x7fffffffffffffff, rne, 0xbf800000, 0
    FCVTFS fcvt.s.w, 0x7fffffffffffffff, rtz, 0xbf800000, 0
    FCVTFS fcvt.s.w, 0x7fffffffffffffff, rdn, 0xbf800000, 0
    FCVTFS fcvt.s.w, 0x7fffffffffffffff, rup, 0xbf800000, 0
    FCVTFS fcvt.s.w, 0x7fffffffffffffff, rmm, 0xbf800000, 0
    FCVTFS fcvt.s.w, 0x8000000000000000, rne, 0x0, 0
    FCVTFS fcvt.s.w, 0xffffffffffffffff, rne, 0xbf800000, 0
    FCVTFS fcvt.s.w, 0x20000001, rne, 0x4e000000, 1
    FCVTFS fcvt.s.w, 0x1000000000000001, rne, 0x3f800000, 0
    FCVTFS fcvt.s.w, 0x1000000000000001, rtz, 0x3f800000, 0
    FCVTFS fcvt.s.w, 0x1000000000000001, rdn, 0x3f800000, 0
    FCVTFS fcvt.s.w, 0x1000000000000001, rup, 0x3f800000, 0
    FCVTFS fcvt.s.w, 0x1000000000000001, rmm, 0x3f800000, 0
    FCVTFS fcvt.s.w, 0xfffffffffffffff3, rne, 0xc1500000, 0
    FCVTFS fcvt.s.w, 0xfffffffffffffff3, rtz, 0xc1500000, 0
    FCVTFS fcvt.s.w, 0xfffffffffffffff3, rdn, 0xc1500000, 0
    FCVTFS fcvt.s.w, 0xfffffffffffffff3, rup, 0xc1500000, 0
    FCVTFS fcvt.s.w, 0xfffffffffffffff3, rmm, 0xc1500000, 0
    FCVTFS fcvt.s.wu, 0x0, rne, 0x0, 0
    FCVTFS fcvt.s.wu, 0x1, rne, 0x3f800000, 0
    FCVTFS fcvt.s.wu, 0xffffffffffffffff, rne, 0x4f800000, 1
    FCVTFS fcvt.s.wu, 0x7fffffff, rne, 0x4f000000, 1
    FCVTFS fcvt.s.wu, 0x80000000, rne, 0x4f000000, 0
    FCVTFS fcvt.s.wu, 0xffffffff, rne, 0x4f800000, 1
    FCVTFS fcvt.s.wu, 0x123456789, rne, 0x4e0d159e, 1
    FCVTFS fcvt.s.wu, 0x123456789, rtz, 0x4e0d159e, 1
    FCVTFS fcvt.s.wu, 0x123456789, rdn, 0x4e0d159e, 1
    FCVTFS fcvt.s.wu, 0x123456789, rup, 0x4e0d159f, 1
    FCVTFS fcvt.s.wu, 0x123456789, rmm, 0x4e0d159e, 1
    FCVTFS fcvt.s.wu, 0x7fffffffffffffff, rne, 0x4f800000, 1
    FCVTFS fcvt.s.wu, 0x7fffffffffffffff, rtz, 0x4f7fffff, 1
    FCVTFS fcvt.s.wu, 0x7fffffffffffffff, rdn, 0x4f7fffff, 1
    FCVTFS fcvt.s.wu, 0x7fffffffffffffff, rup, 0x4f800000, 1
    FCVTFS fcvt.s.wu, 0x7fffffffffffffff, rmm, 0x4f800000, 1
    FCVTFS fcvt.s.wu, 0x8000000000000000, rne, 0x0, 0
    FCVTFS fcvt.s.wu, 0xffffffffffffffff, rne, 0x4f800000, 1
    FCVTFS fcvt.s.wu, 0x20000001, rne, 0x4e000000, 1
    FCVTFS fcvt.s.wu, 0x1000000000000001, rne, 0x3f800000, 0
    FCVTFS fcvt.s.wu, 0x1000000000000001, rtz, 0x3f800000, 0
    FCVTFS fcvt.s.wu, 0x1000000000000001, rdn, 0x3f800000, 0
    FCVTFS fcvt.s.wu, 0x1000000000000001, rup, 0x3f800000, 0
    FCVTFS fcvt.s.wu, 0x1000000000000001, rmm, 0x3f800000, 0
    FCVTFS fcvt.s.wu, 0xfffffffffffffff3, rne, 0x4f800000, 1
    FCVTFS fcvt.s.wu, 0xfffffffffffffff3, rtz, 0x4f7fffff, 1
    FCVTFS fcvt.s.wu, 0xfffffffffffffff3, rdn, 0x4f7fffff, 1
    FCVTFS fcvt.s.wu, 0xfffffffffffffff3, rup, 0x4f800000, 1
    FCVTFS fcvt.s.wu, 0xfffffffffffffff3, rmm, 0x4f800000, 1
    FCVTFS fcvt.s.l, 0x0, rne, 0x0, 0
    FCVTFS fcvt.s.l, 0x1, rne, 0x3f800000, 0
    FCVTFS fcvt.s.l, 0xffffffffffffffff, rne, 0xbf800000, 0
    FCVTFS fcvt.s.l, 0x7fffffff, rne, 0x4f000000, 1
    FCVTFS fcvt.s.l, 0x80000000, rne, 0x4f000000, 0
    FCVTFS fcvt.s.l, 0xffffffff, rne, 0x4f800000, 1
    FCVTFS fcvt.s.l, 0x123456789, rne, 0x4f91a2b4, 1
    FCVTFS fcvt.s.l, 0x123456789, rtz, 0x4f91a2b3, 1
    FCVTFS fcvt.s.l, 0x123456789, rdn, 0x4f91a2b3, 1
    FCVTFS fcvt.s.l, 0x123456789, rup, 0x4f91a2b4, 1
    FCVTFS fcvt.s.l, 0x123456789, rmm, 0x4f91a2b4, 1
    FCVTFS fcvt.s.l, 0x7fffffffffffffff, rne, 0x5f000000, 1
    FCVTFS fcvt.s.l, 0x7fffffffffffffff, rtz, 0x5effffff, 1
    FCVTFS fcvt.s.l, 0x7fffffffffffffff, rdn, 0x5effffff, 1
    FCVTFS fcvt.s.l, 0x7fffffffffffffff, rup, 0x5f000000, 1
    FCVTFS fcvt.s.l, 0x7fffffffffffffff, rmm, 0x5f000000, 1
    FCVTFS fcvt.s.l, 0x8000000000000000, rne, 0xdf000000, 0
    FCVTFS fcvt.s.l, 0xffffffffffffffff, rne, 0xbf800000, 0
    FCVTFS fcvt.s.l, 0x20000001, rne, 0x4e000000, 1
    FCVTFS fcvt.s.l, 0x1000000000000001, rne, 0x5d800000, 1
    FCVTFS fcvt.s.l, 0x1000000000000001, rtz, 0x5d800000, 1
    FCVTFS fcvt.s.l, 0x1000000000000001, rdn, 0x5d800000, 1
    FCVTFS fcvt.s.l, 0x1000000000000001, rup, 0x5d800001, 1
    FCVTFS fcvt.s.l, 0x1000000000000001, rmm, 0x5d800000, 1
    FCVTFS fcvt.s.l, 0xfffffffffffffff3, rne, 0xc1500000, 0
    FCVTFS fcvt.s.l, 0xfffffffffffffff3, rtz, 0xc1500000, 0
    FCVTFS fcvt.s.l, 0xfffffffffffffff3, rdn, 0xc1500000, 0
    FCVTFS fcvt.s.l, 0xfffffffffffffff3, rup, 0xc1500000, 0
    FCVTFS fcvt.s.l, 0xfffffffffffffff3, rmm, 0xc1500000, 0
    FCVTFS fcvt.s.lu, 0x0, rne, 0x0, 0
    FCVTFS fcvt.s.lu, 0x1, rne, 0x3f800000, 0
    FCVTFS fcvt.s.lu, 0xffffffffffffffff, rne, 0x5f800000, 1
    FCVTFS fcvt.s.lu, 0x7fffffff, rne, 0x4f000000, 1
    FCVTFS fcvt.s.lu, 0x80000000, rne, 0x4f000000, 0
    FCVTFS fcvt.s.lu, 0xffffffff, rne, 0x4f800000, 1
    FCVTFS fcvt.s.lu, 0x123456789, rne, 0x4f91a2b4, 1
    FCVTFS fcvt.s.lu, 0x123456789, rtz, 0x4f91a2b3, 1
    FCVTFS fcvt.s.lu, 0x123456789, rdn, 0x4f91a2b3, 1
    FCVTFS fcvt.s.lu, 0x123456789, rup, 0x4f91a2b4, 1
    FCVTFS fcvt.s.lu, 0x123456789, rmm, 0x4f91a2b4, 1
    FCVTFS fcvt.s.lu, 0x7fffffffffffffff, rne, 0x5f000000, 1
    FCVTFS fcvt.s.lu, 0x7fffffffffffffff, rtz, 0x5effffff, 1
    FCVTFS fcvt.s.lu, 0x7fffffffffffffff, rdn, 0x5effffff, 1
    FCVTFS fcvt.s.lu, 0x7fffffffffffffff, rup, 0x5f000000, 1
    FCVTFS fcvt.s.lu, 0x7fffffffffffffff, rmm, 0x5f000000, 1
    FCVTFS fcvt.s.lu, 0x8000000000000000, rne, 0x5f000000, 0
    FCVTFS fcvt.s.lu, 0xffffffffffffffff, rne, 0x5f800000, 1
    FCVTFS fcvt.s.lu, 0x20000001, rne, 0x4e000000, 1
    FCVTFS fcvt.s.lu, 0x1000000000000001, rne, 0x5d800000, 1
    FCVTFS fcvt.s.lu, 0x1000000000000001, rtz, 0x5d800000, 1
    FCVTFS fcvt.s.lu, 0x1000000000000001, rdn, 0x5d800000, 1
    FCVTFS fcvt.s.lu, 0x1000000000000001, rup, 0x5d800001, 1
    FCVTFS fcvt.s.lu, 0x1000000000000001, rmm, 0x5d800000, 1
    FCVTFS fcvt.s.lu, 0xfffffffffffffff3, rne, 0x5f800000, 1
    FCVTFS fcvt.s.lu, 0xfffffffffffffff3, rtz, 0x5f7fffff, 1
    FCVTFS fcvt.s.lu, 0xfffffffffffffff3, rdn, 0x5f7fffff, 1
    FCVTFS fcvt.s.lu, 0xfffffffffffffff3, rup, 0x5f800000, 1
    FCVTFS fcvt.s.lu, 0xfffffffffffffff3, rmm, 0x5f800000, 1
    FCVTSD 0x3fd5555555555555, rne, 0x3eaaaaab, 1
    FCVTSD 0x3fd5555555555555, rtz, 0x3eaaaaaa, 1
    FCVTSD 0x3fd5555555555555, rdn, 0x3eaaaaaa, 1
    FCVTSD 0x3fd5555555555555, rup, 0x3eaaaaab, 1
    FCVTSD 0x3fd5555555555555, rmm, 0x3eaaaaab, 1
    FCVTSD 0xbfd5555555555555, rne, 0xbeaaaaab, 1
    FCVTSD 0xbfd5555555555555, rtz, 0xbeaaaaaa, 1
    FCVTSD 0xbfd5555555555555, rdn, 0xbeaaaaab, 1
    FCVTSD 0xbfd5555555555555, rup, 0xbeaaaaaa, 1
    FCVTSD 0xbfd5555555555555, rmm, 0xbeaaaaab, 1
    FCVTSD 0x7fefffffffffffff, rne, 0x7f800000, 5
    FCVTSD 0x7fefffffffffffff, rtz, 0x7f7fffff, 5
    FCVTSD 0x7fefffffffffffff, rdn, 0x7f7fffff, 5
    FCVTSD 0x7fefffffffffffff, rup, 0x7f800000, 5
    FCVTSD 0x7fefffffffffffff, rmm, 0x7f800000, 5
    FCVTSD 0x1, rne, 0x0, 3
    FCVTSD 0x1, rtz, 0x0, 3
    FCVTSD 0x1, rdn, 0x0, 3
    FCVTSD 0x1, rup, 0x1, 3
    FCVTSD 0x1, rmm, 0x0, 3
    FCVTSD 0x37a16c262777579c, rne, 0x116c2, 3
    FCVTSD 0x37a16c262777579c, rtz, 0x116c2, 3
    FCVTSD 0x37a16c262777579c, rdn, 0x116c2, 3
    FCVTSD 0x37a16c262777579c, rup, 0x116c3, 3
    FCVTSD 0x37a16c262777579c, rmm, 0x116c2, 3
    FCVTSD 0x7ff4000000000000, rne, 0x7fc00000, 16
    FCVTSD 0x7ff8000000000001, rne, 0x7fc00000, 0
    FCVTSD 0xfff0000000000000, rne, 0xff800000, 0
    FCVTSD 0x8000000000000000, rne, 0x80000000, 0
    FCVTDS 0x3eaaaaab, 0x3fd5555560000000, 0
    FCVTDS 0x1, 0x36a0000000000000, 0
    FCVTDS 0x7f7fffff, 0x47efffffe0000000, 0
    FCVTDS 0xff800000, 0xfff0000000000000, 0
    FCVTDS 0x80000000, 0x8000000000000000, 0
    FCVTDS 0x7fa00000, 0x7ff8000000000000, 16
    FCVTDS 0xffc00001, 0x7ff8000000000000, 0

    j pass

    .data
    .align 4
fdata:
    .space 512
