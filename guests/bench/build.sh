#!/usr/bin/env bash
# build.sh — builds the benchmark guest (guests/include/build-kernel.sh does the work).
#
#   guests/bench/build.sh [OUTPUT_DIR]     (default: guests/bench/, i.e. bench.elf here)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../include/build-kernel.sh"

name=bench
src=guests/bench
extra_cflags=(-fno-pie -O2)
kernel_sources=(entry.S kernel.c sbi.c fmt.c)
# The user program; its entry, _ustart, is the only symbol left global.
user_sources=(user/start.S user/main.c user/ulib.c user/int.c user/mem.c user/muldiv.c user/fp.c fmt.c)
# The kernel never touches the FPU (only the user program does).
fp_allowed=()

build_kernel "${1:-$here}"
