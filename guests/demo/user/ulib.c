/*
 * ulib.c — system-call wrappers and printing for the U-mode tasks.
 * A system call is an `ecall`: number in a7, arguments in a0.., result in a0.
 */
#include "ulib.h"
#include "../format.h"
#include "../syscall.h"

#include <stdarg.h>

static long syscall2(long number, long arg0, long arg1)
{
	register long a0 __asm__("a0") = arg0;
	register long a1 __asm__("a1") = arg1;
	register long a7 __asm__("a7") = number;

	__asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a7) : "memory");
	return a0;
}

long sys_write(const char *buf, unsigned long len)
{
	return syscall2(SYS_write, (long)buf, (long)len);
}

int sys_getpid(void)
{
	return (int)syscall2(SYS_getpid, 0, 0);
}

void sys_yield(void)
{
	syscall2(SYS_yield, 0, 0);
}

void sys_exit(int code)
{
	syscall2(SYS_exit, code, 0);
	for (;;) /* not reached: the kernel never returns from exit */
		;
}

unsigned long sys_uptime_ms(void)
{
	return (unsigned long)syscall2(SYS_uptime, 0, 0);
}

void sys_sleep_ms(unsigned long ms)
{
	syscall2(SYS_sleep, (long)ms, 0);
}

int uprintf(const char *fmt, ...)
{
	char line[160];
	va_list args;
	size_t len;

	va_start(args, fmt);
	len = vformat(line, sizeof(line), fmt, args);
	va_end(args);
	return (int)sys_write(line, len);
}

char *format_fixed(char buf[32], double x, int decimals)
{
	char *p = buf;
	unsigned long scale = 1, whole, frac;
	int negative = x < 0;

	for (int i = 0; i < decimals; i++)
		scale *= 10;
	if (negative)
		x = -x;
	/* round to the last digit, then split into whole and fractional parts */
	frac = (unsigned long)(x * (double)scale + 0.5);
	whole = frac / scale;
	frac %= scale;

	if (negative)
		*p++ = '-';
	{
		char digits[24];
		int n = 0;
		do {
			digits[n++] = (char)('0' + whole % 10);
			whole /= 10;
		} while (whole != 0);
		while (n > 0)
			*p++ = digits[--n];
	}
	if (decimals > 0) {
		*p++ = '.';
		for (int i = decimals - 1; i >= 0; i--) {
			p[i] = (char)('0' + frac % 10);
			frac /= 10;
		}
		p += decimals;
	}
	*p = '\0';
	return buf;
}
