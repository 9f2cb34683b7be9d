/*
 * pmp: physical memory protection. pmpcfg/pmpaddr WARL, OFF/TOR/NA4/NAPOT, R/W/X for S and U,
 * lower-numbered entries win, S/U are denied where no entry matches (while M is not), the lock
 * bit (applies to M, freezes the entry and, for TOR, the address below).
 * Entry 15 covers the image (1 MiB at 0x80000000, RWX) so S/U code can run; test data lives
 * at TDATA and above, outside it.
 */
#include "common.h"

#define TDATA   0x80300000
#define PMP_R   0x01
#define PMP_W   0x02
#define PMP_X   0x04
#define PMP_TOR 0x08
#define PMP_NA4 0x10
#define PMP_NAPOT 0x18
#define PMP_L   0x80
/* pmpaddr value of a naturally aligned power-of-two region (size >= 8) */
#define NAPOT(base, size) (((base) >> 2) | (((size) >> 3) - 1))

/* pmpcfg0 = cfg (entries 0..7), pmpcfg2 keeps entry 15 */
.macro PMPCFG0 cfg
    li t0, \cfg
    csrw pmpcfg0, t0
    sfence.vma
.endm
.macro PMPADDR n, value
    li t0, \value
    csrw pmpaddr\n, t0
.endm
/* an S-mode access expected to fault */
.macro S_FAULT insn, addr, cause
    li s1, \addr
    EXPECT_TRAP
    \insn a0, 0(s1)
    CHECK_TRAP_R \cause, s1
.endm

    .text
    .globl main
main:
    /* ---- pmpaddr holds bits 55:2 of an address ----
       (QEMU 7.2 keeps all 64 bits written; the spec makes bits 63:54 read as zero, so only
       values that fit are written here.) */
    NEXT
    li t0, 0x003fffffffffffff
    csrw pmpaddr1, t0
    csrr t1, pmpaddr1
    CHECKR t0, t1
    li t0, 0x0000000020000123
    csrw pmpaddr1, t0
    csrr t1, pmpaddr1
    CHECKR t0, t1
    csrw pmpaddr1, zero
    NEXT                             /* pmpcfg0 fields read back */
    li t0, 0x0000000000001f00        /* entry 1: NAPOT RWX */
    csrw pmpcfg0, t0
    csrr t1, pmpcfg0
    CHECKR t0, t1

    /* ---- the layout: entry 15 = image (RWX), everything else off ---- */
    NEXT
    csrw pmpcfg0, zero
    PMPADDR 15, NAPOT(0x80000000, 0x100000)
    li t0, (PMP_NAPOT | PMP_R | PMP_W | PMP_X) << 56
    csrw pmpcfg2, t0
    csrr t1, pmpcfg2
    CHECKR t0, t1
    sfence.vma
    li t0, TDATA
    li t1, 0x1111111111111111
    sd t1, 0(t0)
    li t1, 0x2222222222222222
    li t3, TDATA + 0x1000
    sd t1, 0(t3)
    li t1, 0x3333333333333333
    li t3, TDATA + 0x2000
    sd t1, 0(t3)
    NEXT                             /* S runs in the image; nothing matches TDATA: denied */
    GOTO_S 1f
1:  S_FAULT ld, TDATA, CAUSE_LOAD_ACCESS
    S_FAULT sd, TDATA, CAUSE_STORE_ACCESS
    GOTO_M
    NEXT                             /* M is not restricted where nothing matches */
    li t0, TDATA
    ld a0, 0(t0)
    CHECK a0, 0x1111111111111111
    NEXT                             /* same for U */
    GOTO_U 1f
1:  S_FAULT lw, TDATA + 0x1000, CAUSE_LOAD_ACCESS
    GOTO_M
    CHECK_TRAP_PRIV 0

    /* ---- NAPOT: 4 KiB read-only ---- */
    NEXT
    PMPADDR 0, NAPOT(TDATA, 0x1000)
    PMPCFG0 PMP_NAPOT | PMP_R
    GOTO_S 1f
1:  li s0, TDATA
    ld a0, 0(s0)
    CHECK a0, 0x1111111111111111
    li t3, TDATA + 0xff8
    ld a0, 0(t3)                 /* last doubleword inside */
    S_FAULT sd, TDATA + 8, CAUSE_STORE_ACCESS
    S_FAULT ld, TDATA + 0x1000, CAUSE_LOAD_ACCESS   /* just past the region */
    GOTO_M
    NEXT                             /* M may still write (no L bit) */
    li t0, TDATA
    li t1, 0x1212121212121212
    sd t1, 8(t0)
    ld t2, 8(t0)
    CHECKR t1, t2

    /* ---- X: fetch needs it ---- */
    NEXT
    la t0, xcode
    srli t0, t0, 2
    ori t0, t0, (0x1000 >> 3) - 1    /* NAPOT 4 KiB over xcode */
    csrw pmpaddr0, t0
    PMPCFG0 PMP_NAPOT | PMP_R        /* readable, not executable */
    GOTO_S 1f
1:  la s1, xcode
    ld a0, 0(s1)                     /* reading the code is fine */
    RESUME_AT 2f
    EXPECT_TRAP
    jalr s1
2:  GOTO_M
    CHECK_TRAP_R CAUSE_FETCH_ACCESS, s1
    NEXT
    PMPCFG0 PMP_NAPOT | PMP_R | PMP_X
    GOTO_S 1f
1:  li a0, 0
    la s1, xcode
    jalr s1
    GOTO_M
    CHECK a0, 42

    /* ---- TOR: [pmpaddr1, pmpaddr2) with entry 1 off ---- */
    NEXT
    PMPADDR 1, (TDATA + 0x1000) >> 2
    PMPADDR 2, (TDATA + 0x2000) >> 2
    PMPADDR 3, NAPOT(TDATA, 0x4000)  /* entry 3: background RW over 16 KiB */
    PMPCFG0 ((PMP_TOR | PMP_R) << 16) | ((PMP_NAPOT | PMP_R | PMP_W) << 24)
    GOTO_S 1f
1:  li s0, TDATA
    sd zero, 0x10(s0)                /* entry 3 */
    li t3, TDATA + 0x1000
    ld a0, 0(t3)                /* entry 2: R */
    CHECK a0, 0x2222222222222222
    li t3, TDATA + 0x1ff8
    ld a0, 0(t3)
    S_FAULT sd, TDATA + 0x1000, CAUSE_STORE_ACCESS  /* entry 2 wins over entry 3 */
    S_FAULT sd, TDATA + 0x1ff8, CAUSE_STORE_ACCESS
    li t3, TDATA + 0x2100
    sd zero, 0(t3)              /* past the TOR top: entry 3 */
    li t3, TDATA + 0xff8
    sd zero, 0(t3)               /* below the TOR base: entry 3 */
    GOTO_M
    NEXT                             /* TOR in entry 0 starts at address 0 */
    PMPADDR 0, 0x80000000 >> 2       /* [0, 0x80000000): no permissions */
    PMPCFG0 PMP_TOR
    GOTO_S 1f
1:  S_FAULT ld, 0x1000, CAUSE_LOAD_ACCESS           /* the reset ROM */
    GOTO_M
    li t0, 0x1000                    /* M is not affected */
    ld a0, 0(t0)
    NEXT
    PMPCFG0 PMP_TOR | PMP_R
    GOTO_S 1f
1:  li s0, 0x1000
    ld a0, 0(s0)
    GOTO_M
    NEXT                             /* TOR with top <= base matches nothing */
    PMPADDR 1, (TDATA + 0x2000) >> 2
    PMPADDR 2, (TDATA + 0x1000) >> 2
    PMPCFG0 ((PMP_TOR) << 16) | ((PMP_NAPOT | PMP_R | PMP_W) << 24)
    GOTO_S 1f
1:  li s0, TDATA
    li t3, TDATA + 0x1800
    sd zero, 0(t3)              /* entry 3 */
    GOTO_M

    /* ---- NA4: one 4-byte word ---- */
    NEXT
    PMPADDR 0, (TDATA + 0x10) >> 2
    PMPADDR 3, NAPOT(TDATA, 0x4000)
    PMPCFG0 (PMP_NA4) | ((PMP_NAPOT | PMP_R | PMP_W) << 24)
    GOTO_S 1f
1:  li s0, TDATA
    lw a0, 0xc(s0)
    lw a0, 0x14(s0)
    S_FAULT lw, TDATA + 0x10, CAUSE_LOAD_ACCESS
    S_FAULT sw, TDATA + 0x10, CAUSE_STORE_ACCESS
    S_FAULT lb, TDATA + 0x13, CAUSE_LOAD_ACCESS
    GOTO_M

    /* ---- priority: the lowest-numbered matching entry decides, even if it denies ---- */
    NEXT
    PMPADDR 0, NAPOT(TDATA, 0x1000)
    PMPADDR 1, NAPOT(TDATA, 0x2000)
    PMPCFG0 (PMP_NAPOT) | ((PMP_NAPOT | PMP_R | PMP_W) << 8)
    GOTO_S 1f
1:  S_FAULT ld, TDATA + 0x800, CAUSE_LOAD_ACCESS    /* entry 0: no permissions */
    li s0, TDATA
    li t3, TDATA + 0x1000
    ld a0, 0(t3)                /* entry 1 */
    GOTO_M
    NEXT                             /* reversed: the big RW region first */
    PMPADDR 0, NAPOT(TDATA, 0x2000)
    PMPADDR 1, NAPOT(TDATA, 0x1000)
    PMPCFG0 (PMP_NAPOT | PMP_R | PMP_W) | ((PMP_NAPOT) << 8)
    GOTO_S 1f
1:  li s0, TDATA
    li t3, TDATA + 0x800
    ld a0, 0(t3)
    li t3, TDATA + 0x800
    sd a0, 0(t3)
    GOTO_M
    NEXT                             /* an OFF entry with an address does nothing */
    PMPADDR 0, NAPOT(TDATA, 0x1000)
    PMPCFG0 (PMP_R << 0) | ((PMP_NAPOT | PMP_R | PMP_W) << 24)
    GOTO_S 1f
1:  li s0, TDATA
    li t3, TDATA + 0x800
    sd a0, 0(t3)                 /* entry 3 */
    GOTO_M

    /* ---- lock bit (last: locked entries stay until reset) ---- */
    NEXT                             /* locked R-only entry applies to M too */
    PMPADDR 3, NAPOT(TDATA, 0x4000)
    PMPADDR 2, NAPOT(TDATA + 0x2000, 0x1000)
    PMPCFG0 ((PMP_NAPOT | PMP_R | PMP_L) << 16) | ((PMP_NAPOT | PMP_R | PMP_W) << 24)
    li s0, TDATA
    li t3, TDATA + 0x2000
    ld a0, 0(t3)
    CHECK a0, 0x3333333333333333
    li s1, TDATA + 0x2008
    EXPECT_TRAP
    sd zero, 0(s1)
    CHECK_TRAP_R CAUSE_STORE_ACCESS, s1
    CHECK_TRAP_PRIV 3
    NEXT                             /* ... and the entry can no longer be changed */
    csrr t1, pmpcfg0
    li t0, -1
    csrw pmpaddr2, t0
    csrr t2, pmpaddr2
    CHECK t2, NAPOT(TDATA + 0x2000, 0x1000)
    li t0, ((PMP_NAPOT | PMP_R | PMP_W | PMP_X) << 16) | ((PMP_NAPOT | PMP_R | PMP_W) << 24)
    csrw pmpcfg0, t0
    csrr t2, pmpcfg0
    CHECKR t2, t1
    NEXT                             /* other entries still change; M not matching: allowed */
    PMPADDR 4, NAPOT(0x80400000, 0x1000)
    li t0, ((PMP_NAPOT | PMP_R | PMP_L) << 16) | ((PMP_NAPOT | PMP_R | PMP_W) << 24) | ((PMP_NAPOT | PMP_R) << 32)
    csrw pmpcfg0, t0
    csrr t1, pmpcfg0
    CHECKR t0, t1
    li t0, 0x80500000
    sd zero, 0(t0)
    NEXT                             /* a locked TOR entry also freezes the address below it */
    PMPADDR 5, (0x80600000) >> 2
    PMPADDR 6, (0x80601000) >> 2
    li t0, ((PMP_NAPOT | PMP_R | PMP_L) << 16) | ((PMP_NAPOT | PMP_R | PMP_W) << 24) | ((PMP_TOR | PMP_R | PMP_W | PMP_L) << 48)
    csrw pmpcfg0, t0
    li t0, 0x80700000 >> 2
    csrw pmpaddr5, t0
    csrr t1, pmpaddr5
    CHECK t1, 0x80600000 >> 2
    csrw pmpaddr6, t0
    csrr t1, pmpaddr6
    CHECK t1, 0x80601000 >> 2
    li t0, 0x80600000
    sd zero, 0(t0)                   /* RW for M */
    NEXT                             /* S still bound by the locked entries */
    GOTO_S 1f
1:  li s0, TDATA
    li t3, TDATA + 0x2000
    ld a0, 0(t3)
    S_FAULT sd, TDATA + 0x2000, CAUSE_STORE_ACCESS
    GOTO_M
    j pass

    .align 12
xcode:
    li a0, 42
    ret
    .align 12
