/*
 * format.h — a small printf-style formatter shared by the kernel and the
 * user tasks (each links its own copy). It knows %d %i %u %x %p %s %c %%,
 * the length modifiers l and ll, a width and the flags '0' and '-'.
 */
#ifndef DEMO_FORMAT_H
#define DEMO_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

/* Formats into buf (always NUL-terminated when size > 0); returns the length written. */
size_t vformat(char *buf, size_t size, const char *fmt, va_list args);

#endif /* DEMO_FORMAT_H */
