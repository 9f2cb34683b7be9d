/*
 * sbi.c — SBI calls (ecall from S-mode: extension in a7, function in a6,
 * arguments in a0.., result (error, value) in a0, a1).
 */
#include "sbi.h"
#include "riscv.h"

struct sbiret {
	long error;
	long value;
};

static int has_dbcn;
static int has_srst;

static struct sbiret sbi_call(unsigned long eid, unsigned long fid,
			      unsigned long a0, unsigned long a1, unsigned long a2)
{
	register unsigned long r_a0 __asm__("a0") = a0;
	register unsigned long r_a1 __asm__("a1") = a1;
	register unsigned long r_a2 __asm__("a2") = a2;
	register unsigned long r_a6 __asm__("a6") = fid;
	register unsigned long r_a7 __asm__("a7") = eid;

	__asm__ volatile("ecall"
			 : "+r"(r_a0), "+r"(r_a1)
			 : "r"(r_a2), "r"(r_a6), "r"(r_a7)
			 : "memory");
	return (struct sbiret){ .error = (long)r_a0, .value = (long)r_a1 };
}

static long sbi_legacy_call(unsigned long eid, unsigned long arg0)
{
	register unsigned long r_a0 __asm__("a0") = arg0;
	register unsigned long r_a7 __asm__("a7") = eid;

	__asm__ volatile("ecall" : "+r"(r_a0) : "r"(r_a7) : "memory", "a1");
	return (long)r_a0;
}

static int sbi_probe(unsigned long eid)
{
	struct sbiret ret = sbi_call(SBI_EXT_BASE, SBI_BASE_PROBE_EXTENSION, eid, 0, 0);

	return ret.error == SBI_SUCCESS && ret.value != 0;
}

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
