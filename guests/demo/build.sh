#!/usr/bin/env bash
# build.sh — builds the demo kernel (guests/include/build-kernel.sh does the work).
#
#   guests/demo/build.sh [OUTPUT_DIR]     (default: guests/demo/, i.e. demo.elf here)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../include/build-kernel.sh"

name=demo
src=guests/demo
extra_cflags=(-fno-omit-frame-pointer -Og)
kernel_sources=(entry.S trap.S fpu.S main.c sbi.c console.c format.c fdt.c vm.c
	string.c timer.c trap.c task.c syscall.c shell.c)
# The tasks; their entry points (USER_ENTRY) are the only symbols left global.
user_sources=(user/start.c user/ulib.c user/counter.c user/primes.c user/pi.c format.c)
# The kernel runs with sstatus.FS = Off: only fpu.S may touch FP registers.
fp_allowed=(fpu.S)

build_kernel "${1:-$here}"
