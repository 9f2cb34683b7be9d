/*
 * ulib.h — the tasks' tiny C library: system calls and printing.
 */
#ifndef DEMO_USER_ULIB_H
#define DEMO_USER_ULIB_H

long sys_write(const char *buf, unsigned long len);
int sys_getpid(void);
void sys_yield(void);
__attribute__((noreturn)) void sys_exit(int code);
unsigned long sys_uptime_ms(void);
void sys_sleep_ms(unsigned long ms);

/* printf-style, one sys_write per call so that lines never interleave */
__attribute__((format(printf, 1, 2))) int uprintf(const char *fmt, ...);

/* Writes x with `decimals` digits after the point into buf; returns buf. */
char *format_fixed(char buf[32], double x, int decimals);

#endif /* DEMO_USER_ULIB_H */
