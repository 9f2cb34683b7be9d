/*
 * console.c — the kernel's console: SBI Debug Console (DBCN) when the SBI
 * implementation has it, the legacy console_putchar otherwise (OpenSBI v1.1,
 * as shipped with QEMU 7.2, has no DBCN).
 */
#include "console.h"
#include "format.h"
#include "sbi.h"
#include "vm.h"

#include <stdarg.h>

void console_write(const char *buf, size_t len)
{
	if (sbi_has_dbcn()) {
		/*
		 * DBCN takes a physical address. Kernel memory is identity
		 * mapped, so kernel_virt_to_phys() is the identity; a write may
		 * be partial, so go on until everything is out.
		 */
		while (len > 0) {
			long written = sbi_debug_console_write(kernel_virt_to_phys(buf), len);
			if (written <= 0)
				break; /* the console refuses: fall back below */
			buf += written;
			len -= (size_t)written;
		}
	}
	while (len > 0) {
		sbi_legacy_putchar(*buf++);
		len--;
	}
}

static void vkprintf(const char *fmt, va_list args)
{
	char line[256];
	size_t len = vformat(line, sizeof(line), fmt, args);

	console_write(line, len);
}

void kprintf(const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	vkprintf(fmt, args);
	va_end(args);
}

void panic(const char *fmt, ...)
{
	va_list args;

	kprintf("\nkernel panic: ");
	va_start(args, fmt);
	vkprintf(fmt, args);
	va_end(args);
	kprintf("\n");
	sbi_shutdown(1);
}
