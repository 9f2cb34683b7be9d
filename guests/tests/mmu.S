/*
 * mmu: Sv39, Sv48 and Sv57 page tables built by the guest. 4K/2M/1G/512G/256T pages, hardware
 * A/D updates, page faults (cause and stval) for fetch/load/store, U pages with SUM, MXR, the
 * reserved W-only encoding, misaligned superpages, non-canonical addresses, SFENCE.VMA after
 * PTE changes (global, by address, by ASID), switching ASIDs, U-mode code, MPRV with MPP.
 * Page tables and test pages live at fixed physical addresses above the image (RAM reads as 0
 * there until written; the tables are cleared first anyway).
 */
#include "common.h"

#define PT_BASE  0x80200000
#define ROOT39   (PT_BASE + 0x0000)
#define L1_39    (PT_BASE + 0x1000)
#define L0_39    (PT_BASE + 0x2000)
#define ROOT48   (PT_BASE + 0x3000)
#define ROOT57   (PT_BASE + 0x4000)
#define ROOT39B  (PT_BASE + 0x5000)
#define L1B      (PT_BASE + 0x6000)
#define L0B      (PT_BASE + 0x7000)
#define PT_PAGES 8

#define DATA0    0x80300000
#define DATA1    0x80301000
#define DATA2    0x80302000
#define DATA3    0x80303000
#define DATA_U   0x80304000
#define DATA_X   0x80305000
#define DATA_W   0x80306000
#define MEGA_PA  0x80400000

#define PTE_V 0x01
#define PTE_R 0x02
#define PTE_W 0x04
#define PTE_X 0x08
#define PTE_U 0x10
#define PTE_A 0x40
#define PTE_D 0x80
#define LEAF_RW  (PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)
#define LEAF_RWX (PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D)
#define PTE(pa, flags) ((((pa) >> 12) << 10) | (flags))

#define SATP_SV39 (8 << 60)
#define SATP_SV48 (9 << 60)
#define SATP_SV57 (10 << 60)

/* table[index] = PTE(pa, flags) (pa a constant) */
.macro SETPTE table, index, pa, flags
    li t0, PTE(\pa, \flags)
    li t1, \table + (\index) * 8
    sd t0, 0(t1)
.endm
/* table[index] = PTE(address of sym, flags) */
.macro SETPTE_SYM table, index, sym, flags
    la t0, \sym
    srli t0, t0, 12
    slli t0, t0, 10
    ori t0, t0, \flags
    li t1, \table + (\index) * 8
    sd t0, 0(t1)
.endm
/* a non-leaf pointer */
.macro SETPTR table, index, next
    SETPTE \table, \index, \next, PTE_V
.endm
/* *(u64 *)addr = value */
.macro POKE addr, value
    li t0, \addr
    li t1, \value
    sd t1, 0(t0)
.endm
/* rd = *(u64 *)va */
.macro PEEK rd, va
    li t0, \va
    ld \rd, 0(t0)
.endm
/* load from va expecting a page fault with stval = va */
.macro LOAD_FAULT va, cause=CAUSE_LOAD_PAGE
    li s1, \va
    EXPECT_TRAP
    ld a0, 0(s1)
    CHECK_TRAP_R \cause, s1
.endm
.macro STORE_FAULT va
    li s1, \va
    EXPECT_TRAP
    sd zero, 0(s1)
    CHECK_TRAP_R CAUSE_STORE_PAGE, s1
.endm

    .text
    .globl main
main:
    /* ---- clear the page-table pages ---- */
    li t0, PT_BASE
    li t1, PT_BASE + PT_PAGES * 4096
1:  sd zero, 0(t0)
    sd zero, 8(t0)
    sd zero, 16(t0)
    sd zero, 24(t0)
    addi t0, t0, 32
    bltu t0, t1, 1b

    /* ---- test data ---- */
    POKE DATA0, 0x1111111111111111
    POKE DATA1, 0x2222222222222222
    POKE DATA2, 0x3333333333333333
    POKE DATA3, 0x4444444444444444
    POKE DATA_U, 0x5555555555555555
    POKE DATA_X, 0x6666666666666666
    POKE DATA_W, 0x6767676767676767
    POKE MEGA_PA + 0x1230, 0x7777777777777777

    /* ---- Sv39 tables ---- */
    SETPTR ROOT39, 1, L1_39                         /* VA 0x40000000: test pages */
    SETPTE ROOT39, 2, 0x80000000, LEAF_RWX          /* VA 0x80000000 = PA: 1G identity, S only */
    SETPTE ROOT39, 3, 0x80000000, LEAF_RW           /* VA 0xc0000000: 1G alias of RAM */
    SETPTE ROOT39, 4, 0x80200000, LEAF_RW           /* VA 0x100000000: misaligned 1G page */
    SETPTR L1_39, 0, L0_39                          /* VA 0x40000000..0x401fffff: 4K pages */
    SETPTE L1_39, 1, MEGA_PA, LEAF_RW               /* VA 0x40200000: 2M page */
    SETPTE L1_39, 2, MEGA_PA + 0x1000, LEAF_RW      /* VA 0x40400000: misaligned 2M page */
    SETPTE L0_39, 0, DATA0, LEAF_RW                 /* 0x40000000 */
    SETPTE L0_39, 1, DATA1, PTE_V | PTE_R | PTE_A | PTE_D       /* 0x40001000 read-only */
                                                    /* 0x40002000 invalid */
    SETPTE L0_39, 3, DATA2, PTE_V | PTE_R | PTE_W   /* 0x40003000 A = D = 0 */
    SETPTE L0_39, 4, DATA_U, LEAF_RW | PTE_U        /* 0x40004000 user */
    SETPTE L0_39, 5, DATA_X, PTE_V | PTE_X | PTE_A | PTE_D     /* 0x40005000 execute-only */
    SETPTE L0_39, 6, DATA_W, PTE_V | PTE_W | PTE_A | PTE_D     /* 0x40006000 W-only: reserved */
    SETPTE_SYM L0_39, 7, xpage, PTE_V | PTE_R | PTE_X | PTE_A | PTE_D  /* 0x40007000 code */
    SETPTE_SYM L0_39, 8, xpage, PTE_V | PTE_R | PTE_A | PTE_D  /* 0x40008000 same, no X */
    SETPTE_SYM L0_39, 9, upage, PTE_V | PTE_R | PTE_X | PTE_U | PTE_A | PTE_D /* 0x40009000 */
    SETPTE_SYM L0_39, 10, xpage, PTE_V | PTE_R | PTE_X | PTE_U | PTE_A | PTE_D /* 0x4000a000 */
    /* a second address space (ASID 2): VA 0x40000000 -> DATA3 */
    SETPTR ROOT39B, 1, L1B
    SETPTE ROOT39B, 2, 0x80000000, LEAF_RWX
    SETPTR L1B, 0, L0B
    SETPTE L0B, 0, DATA3, LEAF_RW
    /* Sv48: the Sv39 root serves as the level-2 table under entry 0 */
    SETPTR ROOT48, 0, ROOT39
    SETPTE ROOT48, 1, 0, LEAF_RW                    /* VA 0x8000000000: 512G page at PA 0 */
    SETPTE ROOT48, 2, 0x80000000, LEAF_RW           /* VA 0x10000000000: misaligned 512G */
    /* Sv57: the Sv48 root under entry 0 */
    SETPTR ROOT57, 0, ROOT48
    SETPTE ROOT57, 1, 0, LEAF_RW                    /* VA 0x1000000000000: 256T page at PA 0 */

    /* page faults go to S */
    la t0, trap_s
    csrw stvec, t0
    li t0, (1 << CAUSE_FETCH_PAGE) | (1 << CAUSE_LOAD_PAGE) | (1 << CAUSE_STORE_PAGE)
    csrw medeleg, t0

    /* ---- Sv39 ---- */
    NEXT
    li t0, SATP_SV39 | (1 << 44) | (ROOT39 >> 12)
    csrw satp, t0
    csrr t1, satp
    CHECKR t0, t1
    sfence.vma
    GOTO_S s39
s39:
    NEXT                             /* 4K page */
    PEEK a0, 0x40000000
    CHECK a0, 0x1111111111111111
    NEXT
    li s0, 0x40000000
    li a1, 0x0123456789abcdef
    sd a1, 8(s0)
    ld a0, 8(s0)
    CHECKR a0, a1
    NEXT                             /* read-only page: store page fault */
    STORE_FAULT 0x40001008
    PEEK a0, 0x40001000
    CHECK a0, 0x2222222222222222
    NEXT                             /* invalid PTE */
    LOAD_FAULT 0x40002000
    STORE_FAULT 0x40002ff8
    NEXT                             /* hardware A/D update */
    PEEK a0, L0_39 + 3 * 8
    andi a0, a0, PTE_A | PTE_D
    CHECK a0, 0
    PEEK a0, 0x40003000
    CHECK a0, 0x3333333333333333
    PEEK a0, L0_39 + 3 * 8
    andi a0, a0, PTE_A | PTE_D
    CHECK a0, PTE_A
    li s0, 0x40003000
    sd zero, 16(s0)
    PEEK a0, L0_39 + 3 * 8
    andi a0, a0, PTE_A | PTE_D
    CHECK a0, PTE_A | PTE_D
    NEXT                             /* U page from S: faults unless SUM */
    LOAD_FAULT 0x40004000
    STORE_FAULT 0x40004000
    li t0, MSTATUS_SUM
    csrs sstatus, t0
    PEEK a0, 0x40004000
    CHECK a0, 0x5555555555555555
    li s0, 0x40004000
    sd a0, 8(s0)
    NEXT                             /* ... but S never executes from a U page, even with SUM */
    RESUME_AT 1f
    EXPECT_TRAP
    li s1, 0x4000a000
    jalr s1
1:  CHECK_TRAP_R CAUSE_FETCH_PAGE, s1
    ld t5, TF_EPC(tp)
    CHECKR t5, s1
    li t0, MSTATUS_SUM
    csrc sstatus, t0
    NEXT                             /* execute-only page: loads fault unless MXR */
    LOAD_FAULT 0x40005000
    li t0, MSTATUS_MXR
    csrs sstatus, t0
    PEEK a0, 0x40005000
    CHECK a0, 0x6666666666666666
    STORE_FAULT 0x40005000           /* MXR does not make it writable */
    li t0, MSTATUS_MXR
    csrc sstatus, t0
    NEXT                             /* W without R is reserved: every access faults */
    LOAD_FAULT 0x40006000
    STORE_FAULT 0x40006000
    NEXT                             /* fetch from an executable page */
    li s1, 0x40007000
    li a0, 0
    jalr s1
    CHECK a0, 42
    NEXT                             /* fetch from a page without X */
    RESUME_AT 1f
    EXPECT_TRAP
    li s1, 0x40008000
    jalr s1
1:  CHECK_TRAP_R CAUSE_FETCH_PAGE, s1
    NEXT                             /* fetch from an invalid page */
    RESUME_AT 1f
    EXPECT_TRAP
    li s1, 0x40002000
    jalr s1
1:  CHECK_TRAP_R CAUSE_FETCH_PAGE, s1
    NEXT                             /* 2M page */
    PEEK a0, 0x40201230
    CHECK a0, 0x7777777777777777
    NEXT                             /* misaligned 2M page */
    LOAD_FAULT 0x40400000
    NEXT                             /* 1G alias of RAM at 0xc0000000 */
    la s0, marker
    li t0, 0x40000000
    add s0, s0, t0
    ld a0, 0(s0)
    CHECK a0, 0x5a5aa5a5cafef00d
    NEXT                             /* misaligned 1G page */
    LOAD_FAULT 0x100000000
    NEXT                             /* non-canonical (bits 63:39 != bit 38) */
    LOAD_FAULT 0x0000004000000000
    LOAD_FAULT 0xffffff0000000000
    NEXT                             /* SFENCE.VMA by address after a PTE change */
    li s2, L0_39
    li t0, PTE(DATA3, LEAF_RW)
    sd t0, 0(s2)
    li s0, 0x40000000
    sfence.vma s0
    ld a0, 0(s0)
    CHECK a0, 0x4444444444444444
    NEXT                             /* global SFENCE.VMA */
    li t0, PTE(DATA0, LEAF_RW)
    sd t0, 0(s2)
    sfence.vma
    ld a0, 0(s0)
    CHECK a0, 0x1111111111111111
    NEXT                             /* SFENCE.VMA by ASID */
    li t0, PTE(DATA1, PTE_V | PTE_R | PTE_A | PTE_D)
    sd t0, 0(s2)
    li t1, 1
    sfence.vma zero, t1
    ld a0, 0(s0)
    CHECK a0, 0x2222222222222222
    NEXT                             /* by address and ASID */
    li t0, PTE(DATA0, LEAF_RW)
    sd t0, 0(s2)
    sfence.vma s0, t1
    ld a0, 0(s0)
    CHECK a0, 0x1111111111111111
    NEXT                             /* a PTE change with SFENCE.VMA for another address */
    li t0, PTE(DATA1, PTE_V | PTE_R | PTE_A | PTE_D)
    sd t0, 8(s2)                     /* 0x40001000 -> DATA1 (same as before) */
    li t0, 0x40001000
    sfence.vma t0
    ld a0, 0(s0)
    CHECK a0, 0x1111111111111111
    NEXT                             /* switching address spaces: ASID 2 maps 0x40000000 elsewhere */
    li t0, SATP_SV39 | (2 << 44) | (ROOT39B >> 12)
    csrw satp, t0
    ld a0, 0(s0)
    CHECK a0, 0x4444444444444444
    li t0, SATP_SV39 | (1 << 44) | (ROOT39 >> 12)
    csrw satp, t0
    ld a0, 0(s0)
    CHECK a0, 0x1111111111111111
    li t0, SATP_SV39 | (2 << 44) | (ROOT39B >> 12)
    csrw satp, t0
    ld a0, 0(s0)
    CHECK a0, 0x4444444444444444
    li t0, SATP_SV39 | (1 << 44) | (ROOT39 >> 12)
    csrw satp, t0
    GOTO_M

    /* ---- U-mode code on a U page ---- */
    NEXT
    li t0, MSTATUS_SUM               /* the S handler reads the faulting U instruction */
    csrs mstatus, t0
    li a1, 0x40004000                /* U data */
    li a3, 0x40000000                /* S data: faults in U */
    li a0, 0
    li a2, 0
    M_RESUME_AT 1f                   /* where GOTO_M from the U page comes back (in M) */
    EXPECT_TRAP
    li t6, MSTATUS_MPP | MSTATUS_MPIE
    csrc mstatus, t6
    li t6, 0x40009000
    csrw mepc, t6
    mret
1:  CHECK a0, 0x5555555555555555
    CHECK a2, 0
    CHECK_TRAP_R CAUSE_LOAD_PAGE, a3
    CHECK_TRAP_PRIV 0
    li t0, MSTATUS_SUM
    csrc mstatus, t0

    /* ---- MPRV: M-mode loads and stores translated as MPP ---- */
    NEXT
    li t0, MSTATUS_MPP
    csrc mstatus, t0
    li t0, MSTATUS_MPRV | MSTATUS_MPP_S
    csrs mstatus, t0
    PEEK a0, 0x40000000
    li t0, MSTATUS_MPRV
    csrc mstatus, t0
    CHECK a0, 0x1111111111111111
    NEXT                             /* MPP = U: S pages fault (in M: not delegated) */
    RESUME_AT 1f                     /* (before MPRV: the trap frame is on an S page) */
    EXPECT_TRAP
    li t0, MSTATUS_MPP
    csrc mstatus, t0
    li t0, MSTATUS_MPRV
    csrs mstatus, t0
    li s1, 0x40004000
    ld a0, 0(s1)                     /* a U page is fine */
    li s1, 0x40000000
    ld a0, 0(s1)
1:  li t0, MSTATUS_MPRV              /* (the trap handler's mret left MPP = U) */
    csrc mstatus, t0
    CHECK_TRAP_R CAUSE_LOAD_PAGE, s1
    CHECK_TRAP_PRIV 3
    NEXT                             /* MPP = S and SUM = 0: U pages fault */
    RESUME_AT 1f
    EXPECT_TRAP
    li t0, MSTATUS_MPRV | MSTATUS_MPP_S
    csrs mstatus, t0
    li s1, 0x40004000
    sd a0, 0(s1)
1:  li t0, MSTATUS_MPRV | MSTATUS_MPP
    csrc mstatus, t0
    CHECK_TRAP_R CAUSE_STORE_PAGE, s1
    NEXT                             /* instruction fetch is not affected by MPRV */
    li t0, MSTATUS_MPRV | MSTATUS_MPP_S
    csrs mstatus, t0
    nop
    nop
    li t0, MSTATUS_MPRV | MSTATUS_MPP
    csrc mstatus, t0

    /* ---- Sv48 ---- */
    NEXT
    li t0, SATP_SV48 | (3 << 44) | (ROOT48 >> 12)
    csrw satp, t0
    csrr t1, satp
    CHECKR t0, t1
    sfence.vma
    GOTO_S s48
s48:
    NEXT
    PEEK a0, 0x40000000
    CHECK a0, 0x1111111111111111
    PEEK a0, 0x40201230
    CHECK a0, 0x7777777777777777
    NEXT                             /* 512G page at PA 0: VA 0x8000000000 + PA */
    la s0, marker
    li t0, 0x8000000000
    add s0, s0, t0
    ld a0, 0(s0)
    CHECK a0, 0x5a5aa5a5cafef00d
    NEXT                             /* VAs that were non-canonical in Sv39 are fine now */
    LOAD_FAULT 0x0000004000000000    /* (valid address, but root48[0] -> no mapping there) */
    NEXT
    LOAD_FAULT 0x0000800000000000    /* non-canonical for Sv48 */
    NEXT
    LOAD_FAULT 0x10000000000         /* misaligned 512G page */
    GOTO_M

    /* ---- Sv57 (if the hart has it: otherwise the satp write is ignored) ---- */
    NEXT
    csrw satp, zero
    li t0, SATP_SV57 | (4 << 44) | (ROOT57 >> 12)
    csrw satp, t0
    csrr t1, satp
    bne t0, t1, no_sv57
    sfence.vma
    GOTO_S s57
s57:
    NEXT
    PEEK a0, 0x40000000
    CHECK a0, 0x1111111111111111
    NEXT                             /* 256T page at PA 0 */
    la s0, marker
    li t0, 0x1000000000000
    add s0, s0, t0
    ld a0, 0(s0)
    CHECK a0, 0x5a5aa5a5cafef00d
    NEXT
    la s0, marker                    /* the 512G page below it still works */
    li t0, 0x8000000000
    add s0, s0, t0
    ld a0, 0(s0)
    CHECK a0, 0x5a5aa5a5cafef00d
    NEXT
    LOAD_FAULT 0x0100000000000000    /* non-canonical for Sv57 */
    GOTO_M
no_sv57:
    csrw satp, zero
    sfence.vma
    csrw medeleg, zero
    j pass

    /* code pages mapped at other virtual addresses */
    .section .text.pages, "ax"
    .align 12
xpage:
    li a0, 42
    ret
    .align 12
upage:                               /* runs in U at VA 0x40009000; a1 = U data, a3 = S data */
    ld a0, 0(a1)
    ld a2, 0(a3)                     /* load page fault (to S), skipped */
    li a7, ECALL_TO_M                /* back to M at TF_RESUME */
    ecall
    .align 12

    .data
    .align 4
marker: .dword 0x5a5aa5a5cafef00d
