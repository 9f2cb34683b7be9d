/*
 * fmt.c — see fmt.h. Also memset/memcpy/strlen, which the compiler may call
 * on its own for struct copies and clears.
 */
#include "fmt.h"

struct out {
	char *buf;
	size_t size;
	size_t len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_number(struct out *o, unsigned long v, unsigned base, int negative,
		       int width, char pad)
{
	char digits[24];
	int n = 0;

	do {
		unsigned d = (unsigned)(v % base);
		digits[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
		v /= base;
	} while (v != 0);
	if (negative)
		digits[n++] = '-';
	for (int i = n; i < width; i++)
		put(o, pad);
	while (n > 0)
		put(o, digits[--n]);
}

size_t vfmt(char *buf, size_t size, const char *f, va_list args)
{
	struct out o = { buf, size, 0 };

	for (; *f; f++) {
		if (*f != '%') {
			put(&o, *f);
			continue;
		}
		f++;
		char pad = ' ';
		int width = 0;
		int is_long = 0;
		if (*f == '0') {
			pad = '0';
			f++;
		}
		while (*f >= '0' && *f <= '9')
			width = width * 10 + (*f++ - '0');
		while (*f == 'l') {
			is_long = 1;
			f++;
		}
		switch (*f) {
		case 'd': {
			long v = is_long ? va_arg(args, long) : va_arg(args, int);
			unsigned long mag = v < 0 ? -(unsigned long)v : (unsigned long)v;
			put_number(&o, mag, 10, v < 0, width, pad);
			break;
		}
		case 'u':
		case 'x': {
			unsigned long v = is_long ? va_arg(args, unsigned long) : va_arg(args, unsigned);
			put_number(&o, v, *f == 'x' ? 16 : 10, 0, width, pad);
			break;
		}
		case 's': {
			const char *s = va_arg(args, const char *);
			size_t n = 0;
			for (; s[n]; n++)
				put(&o, s[n]);
			for (int i = (int)n; i < width; i++)
				put(&o, ' ');
			break;
		}
		case 'c':
			put(&o, (char)va_arg(args, int));
			break;
		case '%':
			put(&o, '%');
			break;
		default: /* unknown: print it as is */
			put(&o, '%');
			if (*f)
				put(&o, *f);
			else
				f--;
			break;
		}
	}
	if (size > 0)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return o.len < size ? o.len : (size > 0 ? size - 1 : 0);
}

size_t fmt(char *buf, size_t size, const char *f, ...)
{
	va_list args;
	size_t n;

	va_start(args, f);
	n = vfmt(buf, size, f, args);
	va_end(args);
	return n;
}

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;

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

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}
