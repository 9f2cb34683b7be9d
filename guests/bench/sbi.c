/*
 * sbi.c — SBI calls (ecall from S-mode: extension in a7, function in a6,
 * arguments in a0.., result (error, value) in a0, a1).
 */
#include "sbi.h"
#include "sbi_call.h"
#include "riscv.h"

static int has_dbcn;
static int has_srst;

void sbi_init(void)
{
	struct sbiret ret = sbi_call(SBI_EXT_BASE, SBI_BASE_GET_SPEC_VERSION, 0, 0, 0);

	if (ret.error != SBI_SUCCESS)
		return; /* SBI v0.1: legacy calls only */
	has_dbcn = sbi_probe(SBI_EXT_DBCN);
	has_srst = sbi_probe(SBI_EXT_SRST);
}

int sbi_has_dbcn(void)
{
	return has_dbcn;
}

/* The kernel's memory is identity mapped: a kernel address is its physical address. */
void sbi_console_write(const char *buf, size_t len)
{
	while (has_dbcn && len > 0) {
		/* write(num_bytes, base_addr_lo, base_addr_hi) */
		struct sbiret ret = sbi_call(SBI_EXT_DBCN, 0, len, (unsigned long)buf, 0);

		if (ret.error != SBI_SUCCESS || ret.value <= 0)
			break; /* refused: fall back to the legacy call */
		buf += ret.value;
		len -= (size_t)ret.value;
	}
	while (len > 0) {
		sbi_legacy_call(SBI_EXT_LEGACY_PUTCHAR, (unsigned char)*buf++);
		len--;
	}
}

void sbi_shutdown(int failure)
{
	unsigned long reason = failure ? SBI_SRST_REASON_FAILURE : SBI_SRST_REASON_NONE;

	if (has_srst)
		sbi_call(SBI_EXT_SRST, 0 /* system_reset */, SBI_SRST_SHUTDOWN, reason, 0);
	sbi_legacy_call(SBI_EXT_LEGACY_SHUTDOWN, 0);
	for (;;)
		wait_for_interrupt();
}
