#!/usr/bin/env bash
# build.sh — builds the benchmark guest with Debian's riscv64-unknown-elf-gcc.
#
#   guests/bench/build.sh [OUTPUT_DIR]     (default: guests/bench/, i.e. bench.elf here)
#
# Reproducible: sources are compiled from the repository root with
# repo-relative paths (DWARF says guests/bench/kernel.c, comp_dir "."), no
# build id, no timestamps. CROSS overrides the tool prefix.
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
src=guests/bench

cflags=(
	-march=rv64imafdc_zicsr_zifencei -mabi=lp64d -mcmodel=medany
	-ffreestanding -nostdlib -fno-common -fno-stack-protector -fno-pie
	-fno-tree-loop-distribute-patterns   # never turn loops into memset/memcpy calls
	-fno-asynchronous-unwind-tables -fno-unwind-tables
	-msmall-data-limit=0                 # no .sdata/.sbss: nothing is gp-relative
	-std=gnu11 -Wall -Wextra -g -O2
	-ffile-prefix-map="$repo/"= -ffile-prefix-map="$repo"=. -ffile-prefix-map="$obj"=obj
	-Wa,--debug-prefix-map="$repo"=.
	-I"$src" -Iguests/include
)
# The user program: every symbol hidden (made local below) except its entry, _ustart.
user_cflags=("${cflags[@]}" -fvisibility=hidden -fno-math-errno)

kernel_sources=(entry.S kernel.c sbi.c fmt.c)
user_sources=(user/start.S user/main.c user/ulib.c user/int.c user/mem.c user/muldiv.c user/fp.c fmt.c)

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

# The user program: one relocatable object, hidden symbols made local, its
# sections renamed .user.* so that kernel.ld links them at 0x40000000.
"$ld" -r -o "$obj/user-linked.o" "${user_objects[@]}"
"$objcopy" --localize-hidden --prefix-alloc-sections=.user "$obj/user-linked.o" "$obj/user.o"
undefined="$("$nm" -u "$obj/user.o")"
if [[ -n "$undefined" ]]; then
	echo "build.sh: the user program calls outside itself:" >&2
	echo "$undefined" >&2
	exit 1
fi

# The kernel never touches the FPU (only the user program does).
fp_insns='\s(fl[dw]|fs[dw]|fmv|fcvt|fadd|fsub|fmul|fdiv|fsqrt|fmin|fmax|feq|flt|fle|fclass|fsgnj|fn?madd|fn?msub|f[rs]csr|f[rs]rm|f[rs]flags)\b'
for o in "${kernel_objects[@]}"; do
	if "$objdump" -d "$o" | grep -Eq "$fp_insns"; then
		echo "build.sh: floating-point instruction in kernel object $(basename "$o"):" >&2
		"$objdump" -d "$o" | grep -E "$fp_insns" >&2
		exit 1
	fi
done

"$cc" "${cflags[@]}" -T "$src/kernel.ld" -Wl,--build-id=none -Wl,-z,max-page-size=4096 \
	-Wl,-z,noexecstack \
	"${kernel_objects[@]}" "$obj/user.o" -o "$obj/bench.elf"

cp "$obj/bench.elf" "$out/bench.elf"
"$size" "$out/bench.elf"
