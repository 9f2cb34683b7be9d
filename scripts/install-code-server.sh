#!/usr/bin/env bash
# Installs code-server (VS Code served over HTTP) for the end-to-end tests, into a cache directory
# outside the repository: ${RVISOR_CACHE:-$HOME/.cache/rvisor}/code-server-4.100.3 (docs/testing.md).
# Only the npm registry is used: code-server's own postinstall and @vscode/ripgrep's would download
# from GitHub, so lifecycle scripts are skipped and the needed steps are run by hand (Debian's rg stands
# in for @vscode/ripgrep's binary; node-pty, spdlog, kerberos… are built with node-gyp against /usr's
# Node headers). code-server 4.100.3 (VS Code 1.100.3) is the last release that runs on Node 20.
#
#   scripts/install-code-server.sh               install if needed; the last line of stdout is the directory
#   scripts/install-code-server.sh --print-dir   print the directory only; exit 0 if installed, 1 if not
#
# The binary is <dir>/node_modules/.bin/code-server. A finished install holds <dir>/.complete and is
# reused as is; an interrupted one (no stamp) is redone from scratch; flock serialises concurrent runs.
# Environment: RVISOR_CACHE (cache root). Packages (installed by .ci/run): chromium (the tests' browser),
# ripgrep libkrb5-dev python3 make g++ (native modules). A full install takes 2–4 minutes.
set -euo pipefail

version=4.100.3
cache=${RVISOR_CACHE:-$HOME/.cache/rvisor}
out=$cache/code-server-$version

say() { echo "code-server: $*" >&2; }
die() { echo "scripts/install-code-server.sh: $1" >&2; exit "${2:-1}"; }

case "${1:-}" in
  '') ;;
  --print-dir)
    echo "$out"
    [ -f "$out/.complete" ] && exit 0 || exit 1 ;;
  -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
  *) die "unknown option '$1' (try --help)" 2 ;;
esac

if [ -f "$out/.complete" ]; then
  echo "$out"
  exit 0
fi

# --- prerequisites ----------------------------------------------------------------------------------
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" = 20 ] || die "code-server $version needs Node 20 (this is Node $(node --version))" 2
missing=()
for c in rg python3 make g++; do command -v "$c" >/dev/null || missing+=("$c"); done
[ -f /usr/include/gssapi/gssapi.h ] || missing+=("gssapi.h (libkrb5-dev)")
[ ${#missing[@]} -eq 0 ] || die "missing ${missing[*]}: apt-get install ripgrep libkrb5-dev python3 make g++ (.ci/run does)" 2

mkdir -p "$cache"
exec 9> "$cache/code-server.lock"
flock 9  # one install at a time per cache
if [ -f "$out/.complete" ]; then echo "$out"; exit 0; fi

# --- install into a scratch directory, moved into place only when complete ----------------------------
tmp=$out.tmp
log=$cache/code-server-$version.log
rm -rf "$out" "$tmp"
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
: > "$log"
start=$(date +%s)
step() { say "$1 ($(($(date +%s) - start)) s)"; }
run() { "$@" >> "$log" 2>&1 || { tail -n 40 "$log" >&2; die "failed: $* (full log: $log)"; }; }
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

step "installing $version from the npm registry into $out"
printf '{ "name": "rvisor-code-server", "private": true }\n' > "$tmp/package.json"
# 1. the package without lifecycle scripts (its postinstall would fetch ripgrep from GitHub)
(cd "$tmp" && run npm install --ignore-scripts --save-exact "code-server@$version")
cs=$tmp/node_modules/code-server
(cd "$tmp" && run npm rebuild argon2)
# 2. VS Code's own dependencies, again without scripts
step "VS Code's dependencies"
cd "$cs/lib/vscode"
run npm install --omit=dev --ignore-scripts
# 3. @vscode/ripgrep's postinstall skips its download when bin/ exists: give it Debian's rg
mkdir -p node_modules/@vscode/ripgrep/bin
ln -sf "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
# 4. every install script now (node-gyp builds). node-pty runs `npx node-gyp`, which a `yes=false` in
#    ~/.npmrc would cancel.
step "building native modules"
npm_config_yes=true run npm rebuild --foreground-scripts
# 5. the rest of code-server's postinstall.sh
rm -rf node_modules.asar && ln -s node_modules node_modules.asar
(cd bin/remote-cli && ln -sf code-linux.sh code-server)
(cd bin/helpers && ln -sf browser-linux.sh browser.sh)
step "built-in extensions' dependencies"
(cd extensions && run npm install --omit=dev)
cd "$cache"

# (--config: without one, code-server writes a password file into ~/.config)
printf 'auth: none\n' > "$tmp/check.yaml"
got=$("$tmp/node_modules/.bin/code-server" --config "$tmp/check.yaml" --version 2>>"$log" | grep -m1 "^$version " || true)
rm -f "$tmp/check.yaml"
[ -n "$got" ] || { tail -n 20 "$log" >&2; die "the installed code-server does not run (log: $log)"; }
printf 'code-server %s\nnode %s\ninstalled %s\n' "$version" "$(node --version)" "$(date -u +%FT%TZ)" > "$tmp/.complete"
mv "$tmp" "$out"
trap - EXIT
step "done: $got"
echo "$out"
