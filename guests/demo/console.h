/*
 * console.h — kernel console output through the SBI debug console.
 */
#ifndef DEMO_CONSOLE_H
#define DEMO_CONSOLE_H

#include <stddef.h>

/* Writes len bytes from a kernel buffer to the console. */
void console_write(const char *buf, size_t len);

__attribute__((format(printf, 1, 2))) void kprintf(const char *fmt, ...);

/* Prints the message and powers off with reset_reason "system failure". */
__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *fmt, ...);

#endif /* DEMO_CONSOLE_H */
