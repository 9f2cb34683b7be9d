# build-kernel.sh — the build our S-mode guests share (sourced by guests/demo/build.sh and
# guests/bench/build.sh), with Debian's riscv64-unknown-elf-gcc.
#
# The caller sets, then calls build_kernel OUTPUT_DIR:
#   name            the ELF's name (NAME.elf)
#   src             the guest's directory, relative to the repository root
#   extra_cflags    its own compiler flags (optimisation level and the like)
#   kernel_sources  kernel files (relative to src)
#   user_sources    user-mode files, linked into one image whose symbols are all local but its entry
#   fp_allowed      kernel object files that may hold floating-point instructions (the rest may not)
#
# The build is reproducible: sources are compiled from the repository root with repo-relative
# paths (DWARF says guests/NAME/file.c, comp_dir "."), no build id, no timestamps. CROSS overrides
# the tool prefix.

build_kernel() {
	local here repo out
	repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
	out="$1"
	mkdir -p "$out"
	out="$(cd "$out" && pwd)"

	local cross="${CROSS:-riscv64-unknown-elf-}"
	local cc="${cross}gcc" ld="${cross}ld" objcopy="${cross}objcopy" objdump="${cross}objdump"
	local nm="${cross}nm" size="${cross}size"
	command -v "$cc" >/dev/null || { echo "build.sh: $cc not found (apt-get install gcc-riscv64-unknown-elf)" >&2; exit 1; }

	obj="$(mktemp -d)"
	trap 'rm -rf "$obj"' EXIT
	mkdir -p "$obj/kernel" "$obj/user"
	cd "$repo"

	local cflags=(
		-march=rv64imafdc_zicsr_zifencei -mabi=lp64d -mcmodel=medany
		-ffreestanding -nostdlib -fno-common -fno-stack-protector
		-fno-tree-loop-distribute-patterns   # never turn loops into memset/memcpy calls
		-fno-asynchronous-unwind-tables -fno-unwind-tables   # .debug_frame, no .eh_frame
		-msmall-data-limit=0                 # no .sdata/.sbss: nothing is gp-relative
		-std=gnu11 -Wall -Wextra -g
		"${extra_cflags[@]}"
		-ffile-prefix-map="$repo/"= -ffile-prefix-map="$repo"=. -ffile-prefix-map="$obj"=obj
		-Wa,--debug-prefix-map="$repo"=.     # the same for the assembler's DWARF (.S files)
		-I"$src" -Iguests/include
	)
	# User code: every symbol hidden (made local below) except its entry point.
	local user_cflags=("${cflags[@]}" -fvisibility=hidden -fno-math-errno)

	local f o kernel_objects=() user_objects=()
	for f in "${kernel_sources[@]}"; do
		o="$obj/kernel/$(basename "$f").o"
		"$cc" "${cflags[@]}" -c "$src/$f" -o "$o"
		kernel_objects+=("$o")
	done
	for f in "${user_sources[@]}"; do
		o="$obj/user/$(basename "$f").o"
		"$cc" "${user_cflags[@]}" -c "$src/$f" -o "$o"
		user_objects+=("$o")
	done

	# The user image: one relocatable object, hidden symbols made local, its sections renamed
	# .user.* so that the kernel's linker script places them in the user pages.
	"$ld" -r -o "$obj/user-linked.o" "${user_objects[@]}"
	"$objcopy" --localize-hidden --prefix-alloc-sections=.user "$obj/user-linked.o" "$obj/user.o"
	local undefined
	undefined="$("$nm" -u "$obj/user.o")"
	if [[ -n "$undefined" ]]; then
		echo "build.sh: user code calls outside the user image:" >&2
		echo "$undefined" >&2
		exit 1
	fi

	# The kernel keeps off the FPU, but in the objects allowed to touch it.
	local fp_insns='\s(fl[dw]|fs[dw]|fmv|fcvt|fadd|fsub|fmul|fdiv|fsqrt|fmin|fmax|feq|flt|fle|fclass|fsgnj|fn?madd|fn?msub|f[rs]csr|f[rs]rm|f[rs]flags)\b'
	for o in "${kernel_objects[@]}"; do
		[[ " ${fp_allowed[*]} " == *" $(basename "$o" .o) "* ]] && continue
		if "$objdump" -d "$o" | grep -Eq "$fp_insns"; then
			echo "build.sh: floating-point instruction in kernel object $(basename "$o"):" >&2
			"$objdump" -d "$o" | grep -E "$fp_insns" >&2
			exit 1
		fi
	done

	"$cc" "${cflags[@]}" -T "$src/kernel.ld" -Wl,--build-id=none -Wl,-z,max-page-size=4096 \
		-Wl,-z,noexecstack \
		"${kernel_objects[@]}" "$obj/user.o" -o "$obj/$name.elf"

	cp "$obj/$name.elf" "$out/$name.elf"
	"$size" "$out/$name.elf"
}
