#!/usr/bin/env bash
# Builds rvisor's Linux guest from Debian packages into a cache directory outside the repository:
#   Image              Linux 6.1 (linux-source-6.1), tinyconfig + rvisor.config, riscv64
#   vmlinux            the same kernel as an ELF with its DWARF (symbols for the debugger)
#   initramfs.cpio.gz  static BusyBox (Debian's busybox source package) + initramfs/ (init scripts)
#   disk.ext2          16 MiB ext2 image of disk/ (e2fsprogs' mke2fs -d)
# The directory is ${RVISOR_CACHE:-$HOME/.cache/rvisor}/linux-<hash>, the hash covering this script,
# the config fragments, initramfs/, disk/ and the Debian versions of linux-source-6.1, busybox (source)
# and gcc-riscv64-linux-gnu; a complete directory is reused as is. Sources and object trees are kept in
# $cache/src and $cache/work, so a changed config rebuilds incrementally.
#
#   guests/linux/build.sh               build if needed; the last line of stdout is the directory
#   guests/linux/build.sh --print-dir   print the directory only; exit 0 if built, 1 if not,
#                                       2 if the needed Debian packages are missing
# Environment: RVISOR_CACHE (cache root), RVISOR_JOBS (make -j, default 2).
# Packages (installed by .ci/run): linux-source-6.1 gcc-riscv64-linux-gnu libc6-dev-riscv64-cross gcc
# libc6-dev make bc flex bison xz-utils dpkg-dev e2fsprogs, and a deb-src entry for `apt-get source`.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${RVISOR_CACHE:-$HOME/.cache/rvisor}
jobs=${RVISOR_JOBS:-2}
cross=riscv64-linux-gnu-
export ARCH=riscv LC_ALL=C

say() { echo "linux guest: $*" >&2; }
die() { echo "guests/linux/build.sh: $1" >&2; exit "${2:-1}"; }

print_dir=0
case "${1:-}" in
  '') ;;
  --print-dir) print_dir=1 ;;
  -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
  *) die "unknown option '$1' (try --help)" 2 ;;
esac

# --- the inputs: Debian package versions and our files -------------------------------------------
deb_version() { dpkg-query -W -f='${Status} ${Version}\n' "$1" 2>/dev/null | sed -n 's/^install ok installed //p'; }
kver=$(deb_version linux-source-6.1)
[ -n "$kver" ] && [ -f /usr/src/linux-source-6.1.tar.xz ] ||
  die "linux-source-6.1 is not installed (.ci/run installs it)" 2
gccver=$(deb_version gcc-riscv64-linux-gnu)
[ -n "$gccver" ] || die "gcc-riscv64-linux-gnu is not installed (.ci/run installs it)" 2
# The newest busybox source version apt knows (what `apt-get source busybox` would fetch).
bbver=
for v in $(apt-cache showsrc --only-source busybox 2>/dev/null | sed -n 's/^Version: //p'); do
  if [ -z "$bbver" ] || dpkg --compare-versions "$v" gt "$bbver"; then bbver=$v; fi
done
[ -n "$bbver" ] ||
  die "apt knows no busybox source package: add a deb-src entry and run apt-get update (.ci/run does)" 2

inputs() {
  printf 'linux-source-6.1 %s\nbusybox (source) %s\ngcc-riscv64-linux-gnu %s\n' "$kver" "$bbver" "$gccver"
  cd "$here"
  find build.sh rvisor.config busybox.config initramfs disk -type f | sort | while read -r f; do
    printf '%s %s %s\n' "$([ -x "$f" ] && echo 755 || echo 644)" "$(sha256sum < "$f" | cut -d' ' -f1)" "$f"
  done
}
hash=$(inputs | sha256sum | cut -c1-12)
out=$cache/linux-$hash

if [ "$print_dir" = 1 ]; then
  echo "$out"
  [ -f "$out/.complete" ] && exit 0 || exit 1
fi
if [ -f "$out/.complete" ]; then
  say "up to date"
  echo "$out"
  exit 0
fi

mkdir -p "$cache/src" "$cache/work"
exec 9> "$cache/linux.lock"
flock 9  # one build at a time per cache (tests may start several)
if [ -f "$out/.complete" ]; then echo "$out"; exit 0; fi

# Fails unless every line of the fragment $1 holds in the .config $2: `CONFIG_X=v` lines literally,
# `# CONFIG_X is not set` lines as the absence of CONFIG_X=.
check_config() {
  local line sym bad=0
  while IFS= read -r line; do
    case "$line" in
      CONFIG_*=*)
        grep -qxF -- "$line" "$2" && continue
        sym=${line%%=*}
        echo "  wanted $line, got: $(grep -m1 "^$sym=" "$2" || echo "$sym unset")" >&2; bad=1 ;;
      "# CONFIG_"*" is not set")
        sym=${line#\# }; sym=${sym%% *}
        grep -q "^$sym=" "$2" || continue
        echo "  wanted $sym off, got: $(grep -m1 "^$sym=" "$2")" >&2; bad=1 ;;
    esac
  done < "$1"
  [ "$bad" = 0 ] || die "$(basename "$1"): the options above did not survive into $2 (missing dependencies?)"
}

elapsed() { echo $(( $(date +%s) - $1 ))s; }

# --- Linux ----------------------------------------------------------------------------------------
ksrc=$cache/src/linux-$kver
kobj=$cache/work/linux-$kver
if [ ! -f "$ksrc/.extracted" ]; then
  say "extracting /usr/src/linux-source-6.1.tar.xz ($kver) into $ksrc"
  rm -rf "$ksrc" "$ksrc.tmp"
  mkdir -p "$ksrc.tmp"
  tar -xf /usr/src/linux-source-6.1.tar.xz -C "$ksrc.tmp" --strip-components=1
  touch "$ksrc.tmp/.extracted"
  mv "$ksrc.tmp" "$ksrc"
fi
mkdir -p "$kobj"
kmake() { make -s -C "$ksrc" O="$kobj" CROSS_COMPILE=$cross "$@"; }
# tinyconfig is allnoconfig with tiny-base.config, then tiny.config merged on top; giving all three
# to allnoconfig at once keeps every option the fragment makes visible off unless the fragment asks.
cat "$ksrc/kernel/configs/tiny-base.config" "$ksrc/kernel/configs/tiny.config" "$here/rvisor.config" \
  > "$kobj/rvisor-allno.config"
kmake KCONFIG_ALLCONFIG="$kobj/rvisor-allno.config" allnoconfig 2>&1 | { grep -v 'warning: override' || true; } >&2
check_config "$here/rvisor.config" "$kobj/.config"
say "building Linux $kver (make -j$jobs Image; about 11 minutes on 2 cores from scratch)"
t0=$(date +%s)
kmake -j"$jobs" Image >&2
ktime=$(elapsed "$t0")
say "Linux built in $ktime"

# --- BusyBox --------------------------------------------------------------------------------------
bbdir=busybox-${bbver#*:}
bbsrc=$cache/src/$bbdir
bbobj=$cache/work/$bbdir
if [ ! -f "$bbsrc/.extracted" ]; then
  say "apt-get source busybox=$bbver into $bbsrc"
  rm -rf "$bbsrc" "$bbsrc.tmp"
  mkdir -p "$bbsrc.tmp"
  (cd "$bbsrc.tmp" && apt-get source -q --only-source "busybox=$bbver" >&2)
  tree=$(find "$bbsrc.tmp" -mindepth 1 -maxdepth 1 -type d -name 'busybox-*')
  [ -n "$tree" ] && [ -f "$tree/Makefile" ] || die "apt-get source busybox left no source tree in $bbsrc.tmp"
  touch "$tree/.extracted"
  mv "$tree" "$bbsrc"
  rm -rf "$bbsrc.tmp"
fi
mkdir -p "$bbobj"
bbmake() { make -s -C "$bbsrc" O="$bbobj" CROSS_COMPILE=$cross "$@"; }
# BusyBox's kconfig ignores KCONFIG_ALLCONFIG for allnoconfig, so: allnoconfig, then until stable,
# set the fragment's lines, turn off every other `=y` (selects turn back on what is needed) and let
# oldconfig settle the dependencies.
bbmake allnoconfig > /dev/null
for pass in 1 2 3 4 5 6; do
  cp "$bbobj/.config" "$bbobj/.config.prev"
  awk '
    function sym(l) {
      if (match(l, /^CONFIG_[A-Za-z0-9_]+=/)) return substr(l, 1, RLENGTH - 1)
      if (match(l, /^# CONFIG_[A-Za-z0-9_]+ is not set$/)) return substr(l, 3, RLENGTH - 13)
      return ""
    }
    NR == FNR { s = sym($0); if (s != "") { want[s] = $0; order[++n] = s }; next }
    {
      s = sym($0)
      if (s == "") print
      else if (s in want) { print want[s]; done[s] = 1 }
      else if ($0 ~ /=y$/) print "# " s " is not set"
      else print
    }
    END { for (i = 1; i <= n; i++) if (!(order[i] in done)) print want[order[i]] }
  ' "$here/busybox.config" "$bbobj/.config.prev" > "$bbobj/.config"
  bbmake oldconfig < <(yes '') > /dev/null
  if diff -q <(grep CONFIG_ "$bbobj/.config") <(grep CONFIG_ "$bbobj/.config.prev") > /dev/null; then break; fi
  [ "$pass" -lt 6 ] || die "the BusyBox config does not settle"
done
check_config "$here/busybox.config" "$bbobj/.config"
sleep 1  # BusyBox's make compares .config's mtime with include/autoconf.h's (see its kconfig Makefile)
say "building BusyBox $bbver (static, riscv64)"
t0=$(date +%s)
bbmake -j"$jobs" busybox busybox.links >&2
bbtime=$(elapsed "$t0")
if ${cross}readelf -l "$bbobj/busybox" | grep -q INTERP; then die "$bbobj/busybox is not static"; fi

# --- outputs --------------------------------------------------------------------------------------
tmp=$out.tmp.$$
rm -rf "$out" "$tmp"
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
cp "$kobj/arch/riscv/boot/Image" "$tmp/Image"
cp "$kobj/vmlinux" "$tmp/vmlinux"
cp "$kobj/.config" "$tmp/linux.config"
cp "$bbobj/.config" "$tmp/busybox.config"

# The initramfs, described for the kernel's gen_init_cpio (no root rights or mknod needed).
{
  echo "dir /dev 0755 0 0"
  echo "nod /dev/console 0600 0 0 c 5 1"
  for d in bin sbin etc proc sys mnt tmp root usr usr/bin usr/sbin; do echo "dir /$d 0755 0 0"; done
  echo "file /bin/busybox $bbobj/busybox 0755 0 0"
  echo "slink /init /bin/busybox 0777 0 0"
  sed 's|^/*|/|' "$bbobj/busybox.links" | sort -u | while read -r l; do
    [ "$l" = /bin/busybox ] || echo "slink $l /bin/busybox 0777 0 0"
  done
  (cd "$here/initramfs" && find . -mindepth 1 | sort) | while read -r f; do
    f=${f#./}
    if [ -d "$here/initramfs/$f" ]; then
      case " bin sbin etc proc sys mnt tmp root usr " in *" $f "*) ;; *) echo "dir /$f 0755 0 0" ;; esac
    elif [ -x "$here/initramfs/$f" ]; then echo "file /$f $here/initramfs/$f 0755 0 0"
    else echo "file /$f $here/initramfs/$f 0644 0 0"
    fi
  done
} > "$tmp/initramfs.list"
"$kobj/usr/gen_init_cpio" -t 0 "$tmp/initramfs.list" | gzip -9 -n > "$tmp/initramfs.cpio.gz"

mke2fs -q -F -t ext2 -L rvisor -U 7276697a-6f72-4c69-8e75-786469736b31 -E root_owner=0:0 \
  -d "$here/disk" "$tmp/disk.ext2" 16M >&2

cat > "$tmp/build-info.txt" << EOF
rvisor Linux guest $hash
linux-source-6.1 $kver (kernel build $ktime)
busybox source $bbver (build $bbtime)
gcc-riscv64-linux-gnu $gccver
built $(date -u +%Y-%m-%dT%H:%M:%SZ)
EOF
touch "$tmp/.complete"
mv "$tmp" "$out"
trap - EXIT
say "done: $(du -h "$out/Image" | cut -f1) Image, $(du -h "$out/initramfs.cpio.gz" | cut -f1) initramfs"
echo "$out"
