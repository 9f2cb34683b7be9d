/*
 * fmt.h — a tiny snprintf-style formatter, linked into the kernel and (as
 * its own copy) into the user program. Conversions: %s %c %d %u %x and %%,
 * the length modifier l, a width and the flag '0'.
 */
#ifndef BENCH_FMT_H
#define BENCH_FMT_H

#include <stdarg.h>
#include <stddef.h>

size_t vfmt(char *buf, size_t size, const char *fmt, va_list args);
size_t fmt(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
size_t strlen(const char *s);

#endif /* BENCH_FMT_H */
