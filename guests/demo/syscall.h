/*
 * syscall.h — the system-call interface between the tasks and the kernel,
 * shared by both sides.
 *
 * A task calls the kernel with `ecall`: the call number in a7, arguments
 * in a0..a2, the result back in a0 (negative = error).
 */
#ifndef DEMO_SYSCALL_H
#define DEMO_SYSCALL_H

#define SYS_write  1 /* (const char *buf, unsigned long len) -> bytes written */
#define SYS_getpid 2 /* () -> the task's id */
#define SYS_yield  3 /* () -> 0; lets the next task run */
#define SYS_exit   4 /* (int code) -> does not return */
#define SYS_uptime 5 /* () -> milliseconds since boot */
#define SYS_sleep  6 /* (unsigned long ms) -> 0 */

#define ERR_FAULT  (-14) /* a buffer outside the task's memory */
#define ERR_NOSYS  (-38) /* no such system call */

#endif /* DEMO_SYSCALL_H */
