#!/bin/sh
# Builds every test guest in this directory into <name>.elf (committed).
# Reproducible: fixed flags, no build id, debug paths mapped to the repository-relative directory.
set -eu
cd "$(dirname "$0")"
CROSS=${CROSS:-riscv64-unknown-elf-}
CC=${CROSS}gcc
HERE=$(pwd)
CFLAGS="-march=rv64imafdc_zicsr_zifencei_zba_zbb_zbs -mabi=lp64d -mcmodel=medany -g -O2 \
  -ffreestanding -fno-pic -fdebug-prefix-map=$HERE=guests/tests -ffile-prefix-map=$HERE=guests/tests"
LDFLAGS="-nostdlib -nostartfiles -static -Wl,-T,link.ld -Wl,--build-id=none"
mkdir -p build
GUESTS=${*:-"rv64i rv64m rv64a rv64c rv64fd zb traps irq mmu pmp"}
for g in $GUESTS; do
  # shellcheck disable=SC2086
  $CC $CFLAGS -c -o build/start.o start.S
  $CC $CFLAGS -c -o "build/$g.o" "$g.S"
  $CC $CFLAGS $LDFLAGS -o "$g.elf" build/start.o "build/$g.o"
  echo "built $g.elf"
done
