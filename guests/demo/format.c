/*
 * format.c — vformat(), the formatter behind kprintf() and the tasks' printf().
 */
#include "format.h"

#include <stdint.h>

struct out {
	char *buf;
	size_t size;
	size_t len;
};

static void put_char(struct out *out, char c)
{
	if (out->len + 1 < out->size)
		out->buf[out->len++] = c;
}

static void put_padded(struct out *out, const char *s, size_t n, int width,
		       int left, char pad)
{
	int fill = width > (int)n ? width - (int)n : 0;

	if (!left)
		while (fill-- > 0)
			put_char(out, pad);
	while (n--)
		put_char(out, *s++);
	if (left)
		while (fill-- > 0)
			put_char(out, ' ');
}

static void put_number(struct out *out, uint64_t value, int negative,
		       unsigned base, int width, int left, char pad)
{
	char digits[24];
	size_t n = 0;

	do {
		unsigned d = (unsigned)(value % base);
		digits[sizeof(digits) - 1 - n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
		value /= base;
	} while (value != 0);
	if (negative) {
		if (pad == '0') { /* the sign goes before zero padding: -0042 */
			put_char(out, '-');
			width = width > 0 ? width - 1 : 0;
		} else {
			digits[sizeof(digits) - 1 - n++] = '-';
		}
	}
	put_padded(out, &digits[sizeof(digits) - n], n, width, left, pad);
}

size_t vformat(char *buf, size_t size, const char *fmt, va_list args)
{
	struct out out = { .buf = buf, .size = size, .len = 0 };

	for (; *fmt != '\0'; fmt++) {
		int left = 0, width = 0, longs = 0;
		char pad = ' ';

		if (*fmt != '%') {
			put_char(&out, *fmt);
			continue;
		}
		fmt++;
		for (; *fmt == '-' || *fmt == '0'; fmt++) {
			if (*fmt == '-')
				left = 1;
			else
				pad = '0';
		}
		for (; *fmt >= '0' && *fmt <= '9'; fmt++)
			width = width * 10 + (*fmt - '0');
		for (; *fmt == 'l'; fmt++)
			longs++;

		switch (*fmt) {
		case 'd':
		case 'i': {
			int64_t v = longs ? va_arg(args, long) : va_arg(args, int);
			uint64_t magnitude = v < 0 ? -(uint64_t)v : (uint64_t)v;
			put_number(&out, magnitude, v < 0, 10, width, left, pad);
			break;
		}
		case 'u':
		case 'x': {
			uint64_t v = longs ? va_arg(args, unsigned long) : va_arg(args, unsigned);
			put_number(&out, v, 0, *fmt == 'x' ? 16 : 10, width, left, pad);
			break;
		}
		case 'p':
			put_char(&out, '0');
			put_char(&out, 'x');
			put_number(&out, (uintptr_t)va_arg(args, void *), 0, 16, width, left, pad);
			break;
		case 's': {
			const char *s = va_arg(args, const char *);
			size_t n = 0;
			if (s == NULL)
				s = "(null)";
			while (s[n] != '\0')
				n++;
			put_padded(&out, s, n, width, left, ' ');
			break;
		}
		case 'c': {
			char c = (char)va_arg(args, int);
			put_padded(&out, &c, 1, width, left, ' ');
			break;
		}
		case '%':
			put_char(&out, '%');
			break;
		case '\0':
			fmt--; /* a lone '%' at the end: stop at the terminator */
			break;
		default: /* unknown conversion: print it as it was written */
			put_char(&out, '%');
			put_char(&out, *fmt);
			break;
		}
	}
	if (out.size > 0)
		out.buf[out.len] = '\0';
	return out.len;
}
