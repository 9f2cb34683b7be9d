/*
 * sbi.c — the Supervisor Binary Interface: the only way this kernel talks to
 * the machine (but for the optional shell's input: see shell.c). Every call
 * is an `ecall` from S-mode with the extension ID in a7, the function ID in
 * a6 and arguments in a0..a5; the result comes back as the pair (error in
 * a0, value in a1).
 */
#include "sbi.h"
#include "sbi_call.h"
#include "console.h"
#include "riscv.h"

struct sbi_state {
	unsigned long spec_version; /* 0 when BASE itself is missing (SBI v0.1) */
	unsigned long impl_id;
	unsigned long impl_version;
	int has_time;
	int has_srst;
	int has_dbcn;
	int has_hsm;
	int has_ipi;
	int has_rfence;
};

static struct sbi_state sbi;

void sbi_init(void)
{
	struct sbiret ret = sbi_call(SBI_EXT_BASE, SBI_BASE_GET_SPEC_VERSION, 0, 0, 0);

	if (ret.error != SBI_SUCCESS)
		return; /* SBI v0.1: only the legacy extensions exist */
	sbi.spec_version = (unsigned long)ret.value;
	sbi.impl_id = (unsigned long)sbi_call(SBI_EXT_BASE, SBI_BASE_GET_IMPL_ID, 0, 0, 0).value;
	sbi.impl_version = (unsigned long)sbi_call(SBI_EXT_BASE, SBI_BASE_GET_IMPL_VERSION, 0, 0, 0).value;
	sbi.has_time = sbi_probe(SBI_EXT_TIME);
	sbi.has_srst = sbi_probe(SBI_EXT_SRST);
	sbi.has_dbcn = sbi_probe(SBI_EXT_DBCN);
	sbi.has_hsm = sbi_probe(SBI_EXT_HSM);
	sbi.has_ipi = sbi_probe(SBI_EXT_IPI);
	sbi.has_rfence = sbi_probe(SBI_EXT_RFENCE);
}

static const char *sbi_impl_name(unsigned long id)
{
	static const char *const names[] = {
		"Berkeley Boot Loader", "OpenSBI", "Xvisor", "KVM", "RustSBI",
		"Diosix", "Coffer", "Xen Project", "PolarFire HSS", "coreboot",
		"oreboot", "bhyve",
	};

	if (id < sizeof(names) / sizeof(names[0]))
		return names[id];
	return "unknown";
}

static const char *yes_no(int present)
{
	return present ? "yes" : "no";
}

void sbi_print_info(void)
{
	if (sbi.spec_version == 0) {
		kprintf("sbi: legacy SBI v0.1 (no BASE extension)\n");
		return;
	}
	kprintf("sbi: specification v%lu.%lu, implementation %s (id %lu) version 0x%lx\n",
		(sbi.spec_version >> 24) & 0x7f, sbi.spec_version & 0xffffff,
		sbi_impl_name(sbi.impl_id), sbi.impl_id, sbi.impl_version);
	kprintf("sbi: extensions: TIME %s, SRST %s, DBCN %s, HSM %s, IPI %s, RFENCE %s\n",
		yes_no(sbi.has_time), yes_no(sbi.has_srst), yes_no(sbi.has_dbcn),
		yes_no(sbi.has_hsm), yes_no(sbi.has_ipi), yes_no(sbi.has_rfence));
	if (!sbi.has_dbcn)
		kprintf("sbi: no debug console: printing through legacy console_putchar\n");
}

int sbi_has_dbcn(void)
{
	return sbi.has_dbcn;
}

long sbi_debug_console_write(uint64_t phys_addr, unsigned long len)
{
	/* base_addr_hi is 0: on RV64 the whole physical address fits in base_addr_lo. */
	struct sbiret ret = sbi_call(SBI_EXT_DBCN, 0, len, phys_addr, 0);

	return ret.error == SBI_SUCCESS ? ret.value : ret.error;
}

void sbi_legacy_putchar(char c)
{
	sbi_legacy_call(SBI_EXT_LEGACY_PUTCHAR, (unsigned char)c);
}

void sbi_set_timer(uint64_t stime_value)
{
	if (sbi.has_time)
		sbi_call(SBI_EXT_TIME, 0, stime_value, 0, 0);
	else
		sbi_legacy_call(SBI_EXT_LEGACY_SET_TIMER, stime_value);
}

long sbi_hart_get_status(unsigned long hartid)
{
	struct sbiret ret;

	if (!sbi.has_hsm)
		return SBI_ERR_NOT_SUPPORTED;
	ret = sbi_call(SBI_EXT_HSM, 2 /* hart_get_status */, hartid, 0, 0);
	return ret.error == SBI_SUCCESS ? ret.value : ret.error;
}

void sbi_shutdown(int failure)
{
	unsigned long reason = failure ? SBI_SRST_REASON_FAILURE : SBI_SRST_REASON_NONE;

	if (sbi.has_srst)
		sbi_call(SBI_EXT_SRST, 0 /* system_reset */, SBI_SRST_SHUTDOWN, reason, 0);
	/* SRST is absent or refused: try the legacy shutdown, then park. */
	sbi_legacy_call(SBI_EXT_LEGACY_SHUTDOWN, 0);
	for (;;)
		wait_for_interrupt();
}
