#!/usr/bin/env bash
# build.sh — builds the demo kernel with Debian's riscv64-unknown-elf-gcc.
#
#   guests/demo/build.sh [OUTPUT_DIR]     (default: guests/demo/, i.e. demo.elf here)
#
# The build is reproducible: sources are compiled from the repository root
# with repo-relative paths (DWARF says guests/demo/main.c, comp_dir "."),
# no build id, no timestamps. CROSS overrides the tool prefix.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
out="${1:-$here}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

cross="${CROSS:-riscv64-unknown-elf-}"
cc="${cross}gcc"
ld="${cross}ld"
objcopy="${cross}objcopy"
objdump="${cross}objdump"
nm="${cross}nm"
size="${cross}size"
command -v "$cc" >/dev/null || { echo "build.sh: $cc not found (apt-get install gcc-riscv64-unknown-elf)" >&2; exit 1; }

obj="$(mktemp -d)"
trap 'rm -rf "$obj"' EXIT
mkdir -p "$obj/kernel" "$obj/user"

cd "$repo"
src=guests/demo

cflags=(
	-march=rv64imafdc_zicsr_zifencei -mabi=lp64d -mcmodel=medany
	-ffreestanding -nostdlib -fno-common -fno-stack-protector
	-fno-tree-loop-distribute-patterns   # never turn loops into memset/memcpy calls
	-fno-asynchronous-unwind-tables -fno-unwind-tables   # .debug_frame, no .eh_frame
	-fno-omit-frame-pointer
	-msmall-data-limit=0                 # no .sdata/.sbss: nothing is gp-relative
	-std=gnu11 -Wall -Wextra -g -Og
	-ffile-prefix-map="$repo/"= -ffile-prefix-map="$repo"=. -ffile-prefix-map="$obj"=obj
	-Wa,--debug-prefix-map="$repo"=.     # the same for the assembler's DWARF (.S files)
	-I"$src" -Iguests/include
)
# The tasks: every symbol hidden except their entry points (USER_ENTRY).
user_cflags=("${cflags[@]}" -fvisibility=hidden -fno-math-errno)

kernel_sources=(entry.S trap.S fpu.S main.c sbi.c console.c format.c fdt.c vm.c
	string.c timer.c trap.c task.c syscall.c)
user_sources=(user/start.c user/ulib.c user/counter.c user/primes.c user/pi.c format.c)

kernel_objects=()
for f in "${kernel_sources[@]}"; do
	o="$obj/kernel/$(basename "$f").o"
	"$cc" "${cflags[@]}" -c "$src/$f" -o "$o"
	kernel_objects+=("$o")
done
user_objects=()
for f in "${user_sources[@]}"; do
	o="$obj/user/$(basename "$f").o"
	"$cc" "${user_cflags[@]}" -c "$src/$f" -o "$o"
	user_objects+=("$o")
done

# The user image: one relocatable object, hidden symbols made local, its
# sections renamed .user.* so that kernel.ld places them in the U-mapped pages.
"$ld" -r -o "$obj/user-linked.o" "${user_objects[@]}"
"$objcopy" --localize-hidden --prefix-alloc-sections=.user "$obj/user-linked.o" "$obj/user.o"
undefined="$("$nm" -u "$obj/user.o")"
if [[ -n "$undefined" ]]; then
	echo "build.sh: user code calls outside the user image:" >&2
	echo "$undefined" >&2
	exit 1
fi

# The kernel runs with sstatus.FS = Off: only fpu.S may touch FP registers.
fp_insns='\s(fl[dw]|fs[dw]|fmv|fcvt|fadd|fsub|fmul|fdiv|fsqrt|fmin|fmax|feq|flt|fle|fclass|fsgnj|fn?madd|fn?msub|f[rs]csr|f[rs]rm|f[rs]flags)\b'
for o in "${kernel_objects[@]}"; do
	[[ "$o" == */fpu.S.o ]] && continue
	if "$objdump" -d "$o" | grep -Eq "$fp_insns"; then
		echo "build.sh: floating-point instruction in kernel object $(basename "$o"):" >&2
		"$objdump" -d "$o" | grep -E "$fp_insns" >&2
		exit 1
	fi
done

"$cc" "${cflags[@]}" -T "$src/kernel.ld" -Wl,--build-id=none -Wl,-z,max-page-size=4096 \
	-Wl,-z,noexecstack \
	"${kernel_objects[@]}" "$obj/user.o" -o "$obj/demo.elf"

cp "$obj/demo.elf" "$out/demo.elf"
"$size" "$out/demo.elf"
