/*
 * syscall.c — the kernel side of the system calls in syscall.h.
 */
#include "syscall.h"
#include "console.h"
#include "riscv.h"
#include "task.h"
#include "timer.h"
#include "vm.h"

/*
 * Copies a task's buffer to the console. The kernel reads user pages only
 * with sstatus.SUM set, and only after checking that the whole buffer lies
 * in memory the task may access (its stack, or the user image).
 */
static long sys_write(uint64_t buf, uint64_t len)
{
	char chunk[128];
	uint64_t done = 0;

	if (!vm_user_range_ok(buf, len))
		return ERR_FAULT;
	while (done < len) {
		uint64_t n = len - done < sizeof(chunk) ? len - done : sizeof(chunk);
		const volatile char *src = (const char *)(uintptr_t)(buf + done);

		csr_set(sstatus, SSTATUS_SUM);
		for (uint64_t i = 0; i < n; i++)
			chunk[i] = src[i];
		csr_clear(sstatus, SSTATUS_SUM);
		console_write(chunk, n);
		done += n;
	}
	return (long)len;
}

void syscall_dispatch(struct task *task)
{
	struct trap_frame *frame = &task->frame;
	uint64_t number = frame->regs[REG_A7];
	uint64_t arg0 = frame->regs[REG_A0];
	uint64_t arg1 = frame->regs[REG_A1];
	long result = 0;

	task->syscalls++;
	frame->sepc += 4; /* return after the ecall */

	switch (number) {
	case SYS_write:
		result = sys_write(arg0, arg1);
		break;
	case SYS_getpid:
		result = task->pid;
		break;
	case SYS_yield:
		task_yield();
		break;
	case SYS_exit:
		task_exit((int)arg0);
		break;
	case SYS_uptime:
		result = (long)timer_uptime_ms();
		break;
	case SYS_sleep:
		task_sleep_until(read_time() + timer_ms_to_time(arg0));
		break;
	default:
		result = ERR_NOSYS;
		break;
	}
	frame->regs[REG_A0] = (uint64_t)result;
}
