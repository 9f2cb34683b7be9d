/*
 * string.c — memset and memcpy for the kernel.
 */
#include "string.h"

#include <stdint.h>

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;

	/* Whole aligned double-words first: zeroing a page is 512 stores. */
	if (((uintptr_t)d & 7) == 0) {
		uint64_t pattern = 0x0101010101010101ULL * (unsigned char)c;
		for (; n >= 8; n -= 8, d += 8)
			*(uint64_t *)d = pattern;
	}
	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	while (n--)
		*d++ = *s++;
	return dst;
}
