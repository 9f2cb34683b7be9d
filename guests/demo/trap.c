/*
 * trap.c — what happens on a trap: timer interrupts drive the scheduler,
 * ecalls from U-mode are system calls, anything else is fatal.
 */
#include "trap.h"
#include "console.h"
#include "riscv.h"
#include "sbi.h"
#include "task.h"
#include "timer.h"
#include "vm.h"

void syscall_dispatch(struct task *task); /* syscall.c */

void trap_init(void)
{
	csr_write(sscratch, 0); /* we are the kernel */
	csr_write(stvec, (uint64_t)(uintptr_t)trap_entry); /* direct mode */
}

static const char *cause_name(uint64_t scause)
{
	static const char *const exceptions[] = {
		[EXC_INST_MISALIGNED] = "instruction address misaligned",
		[EXC_INST_ACCESS] = "instruction access fault",
		[EXC_ILLEGAL_INST] = "illegal instruction",
		[EXC_BREAKPOINT] = "breakpoint",
		[EXC_LOAD_MISALIGNED] = "load address misaligned",
		[EXC_LOAD_ACCESS] = "load access fault",
		[EXC_STORE_MISALIGNED] = "store address misaligned",
		[EXC_STORE_ACCESS] = "store access fault",
		[EXC_ECALL_U] = "environment call from U-mode",
		[EXC_ECALL_S] = "environment call from S-mode",
		[EXC_INST_PAGE_FAULT] = "instruction page fault",
		[EXC_LOAD_PAGE_FAULT] = "load page fault",
		[EXC_STORE_PAGE_FAULT] = "store page fault",
	};

	if (scause & SCAUSE_INTERRUPT)
		return "interrupt";
	if (scause < sizeof(exceptions) / sizeof(exceptions[0]) && exceptions[scause] != NULL)
		return exceptions[scause];
	return "unknown";
}

/* Reports a trap nobody expects and powers off with a failure. */
static __attribute__((noreturn)) void fatal_trap(const char *where, struct trap_frame *frame)
{
	uint64_t scause = csr_read(scause);

	kprintf("\nfatal: unexpected trap in %s: %s\n", where, cause_name(scause));
	kprintf("fatal: scause 0x%lx sepc 0x%lx stval 0x%lx\n",
		scause, csr_read(sepc), csr_read(stval));
	kprintf("fatal: ra 0x%lx sp 0x%lx sstatus 0x%lx\n",
		frame->regs[REG_RA], frame->regs[REG_SP], frame->sstatus);
	kprintf("fatal: powering off with SRST reason \"system failure\"\n");
	sbi_shutdown(1);
}

struct trap_frame *handle_trap(struct trap_frame *frame)
{
	uint64_t scause = csr_read(scause);
	struct task *task = task_current();

	task_trap_entry(task); /* frame == &task->frame */

	if (scause == (SCAUSE_INTERRUPT | IRQ_S_TIMER)) {
		timer_tick();
		tasks_wake_sleepers(read_time());
		task_preempt();
	} else if (scause == EXC_ECALL_U) {
		syscall_dispatch(task);
	} else if ((scause == EXC_LOAD_PAGE_FAULT || scause == EXC_STORE_PAGE_FAULT) &&
		   vm_grow_stack(task->page_table, csr_read(stval))) {
		task->page_faults++; /* the stack grew: run the access again */
	} else {
		kprintf("\nfatal: task %d \"%s\" caused a trap\n", task->pid, task->name);
		fatal_trap("U-mode", frame);
	}
	return schedule();
}

void handle_kernel_trap(struct trap_frame *frame)
{
	fatal_trap("the kernel (S-mode)", frame);
}
