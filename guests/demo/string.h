/*
 * string.h — the kernel's memset/memcpy (the compiler may also call them).
 */
#ifndef DEMO_STRING_H
#define DEMO_STRING_H

#include <stddef.h>

void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);

#endif /* DEMO_STRING_H */
