/*
 * sbi.h — the SBI calls the bench kernel makes: BASE (probe), DBCN console
 * with the legacy console_putchar as fallback, SRST shutdown with the legacy
 * shutdown as fallback.
 */
#ifndef BENCH_SBI_H
#define BENCH_SBI_H

#include <stddef.h>
#include "sbi_call.h"

#define SBI_EXT_LEGACY_PUTCHAR  0x01
#define SBI_EXT_LEGACY_SHUTDOWN 0x08
#define SBI_EXT_SRST            0x53525354 /* "SRST" */
#define SBI_EXT_DBCN            0x4442434E /* "DBCN" */

#define SBI_BASE_GET_SPEC_VERSION 0


#define SBI_SRST_SHUTDOWN       0
#define SBI_SRST_REASON_NONE    0
#define SBI_SRST_REASON_FAILURE 1

/* Probes BASE, DBCN and SRST; call once at boot. */
void sbi_init(void);
int sbi_has_dbcn(void);
/* Writes len bytes at physical address pa: DBCN, or legacy putchar byte by byte. */
void sbi_console_write(const char *buf, size_t len);
__attribute__((noreturn)) void sbi_shutdown(int failure);

#endif /* BENCH_SBI_H */
