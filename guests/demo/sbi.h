/*
 * sbi.h — calls into the SBI implementation (OpenSBI, or the hypervisor
 * itself when running under rvisor, as under KVM). See the RISC-V SBI
 * specification: binary encoding, BASE, TIME, SRST, DBCN, HSM and legacy.
 */
#ifndef DEMO_SBI_H
#define DEMO_SBI_H

#include <stdint.h>
#include "sbi_call.h"

/* Extension IDs */
#define SBI_EXT_LEGACY_SET_TIMER     0x00
#define SBI_EXT_LEGACY_PUTCHAR       0x01
#define SBI_EXT_LEGACY_SHUTDOWN      0x08
#define SBI_EXT_TIME                 0x54494D45 /* "TIME" */
#define SBI_EXT_IPI                  0x00735049 /* "sPI"  */
#define SBI_EXT_RFENCE               0x52464E43 /* "RFNC" */
#define SBI_EXT_HSM                  0x0048534D /* "HSM"  */
#define SBI_EXT_SRST                 0x53525354 /* "SRST" */
#define SBI_EXT_DBCN                 0x4442434E /* "DBCN" */

/* BASE functions */
#define SBI_BASE_GET_SPEC_VERSION    0
#define SBI_BASE_GET_IMPL_ID         1
#define SBI_BASE_GET_IMPL_VERSION    2

/* Error codes (sbiret.error) */
#define SBI_ERR_NOT_SUPPORTED        (-2)

/* SRST reset types and reasons */
#define SBI_SRST_SHUTDOWN            0
#define SBI_SRST_REASON_NONE         0
#define SBI_SRST_REASON_FAILURE      1

/* HSM hart states */
#define SBI_HSM_STARTED              0
#define SBI_HSM_STOPPED              1

/* Probes BASE and the extensions this kernel uses; call once at boot. */
void sbi_init(void);
/* Prints what sbi_init found. */
void sbi_print_info(void);

int sbi_has_dbcn(void);
/* Writes a buffer given by its physical address; returns bytes written or < 0. */
long sbi_debug_console_write(uint64_t phys_addr, unsigned long len);
void sbi_legacy_putchar(char c);

/* Programs the next timer interrupt at an absolute `time` value. */
void sbi_set_timer(uint64_t stime_value);

/* Returns the HSM state of a hart, or a negative SBI error. */
long sbi_hart_get_status(unsigned long hartid);

/* Powers the machine off; `failure` selects reset_reason "system failure". */
__attribute__((noreturn)) void sbi_shutdown(int failure);

#endif /* DEMO_SBI_H */
