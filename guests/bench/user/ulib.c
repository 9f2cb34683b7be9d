/* ulib.c — see ulib.h. */
#include "ulib.h"
#include "../fmt.h"
#include "../layout.h"

#include <stdarg.h>

static long syscall2(long n, long a0, long a1)
{
	register long r_a0 __asm__("a0") = a0;
	register long r_a1 __asm__("a1") = a1;
	register long r_a7 __asm__("a7") = n;

	__asm__ volatile("ecall" : "+r"(r_a0) : "r"(r_a1), "r"(r_a7) : "memory");
	return r_a0;
}

long sys_write(const void *buf, size_t len)
{
	return syscall2(SYS_WRITE, (long)buf, (long)len);
}

void sys_exit(long code)
{
	syscall2(SYS_EXIT, code, 0);
	for (;;)
		;
}

void uprintf(const char *f, ...)
{
	char line[160];
	va_list args;
	size_t n;

	va_start(args, f);
	n = vfmt(line, sizeof(line), f, args);
	va_end(args);
	sys_write(line, n);
}

static uintptr_t heap_next = USER_HEAP_BASE;

void *halloc(size_t size)
{
	uintptr_t p = (heap_next + 63) & ~(uintptr_t)63;

	if (p + size > USER_HEAP_BASE + USER_HEAP_SIZE) {
		uprintf("bench: FATAL: heap exhausted\n");
		sys_exit(1);
	}
	heap_next = p + size;
	return (void *)p;
}
