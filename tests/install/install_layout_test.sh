#!/usr/bin/env bash
# `cmake --install` of this build into a DESTDIR lays out every file that the installed
# units, the nginx site and the web pages name, every file under /etc is a conffile of its
# package, and the installed kiosk finds its language files beside itself.
#   install_layout_test.sh BUILD_DIR
# (scripts/package's install test goes further: real packages in a clean Debian root.)
set -euo pipefail
build=$1
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

DESTDIR=$dest cmake --install "$build" > "$dest.install.log" 2>&1 || { cat "$dest.install.log"; rm -f "$dest.install.log"; exit 1; }
rm -f "$dest.install.log"
prefix=$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' "$build/CMakeCache.txt")
bindir=$prefix/bin

# 1. The units: every path under the install prefix or storeq's configuration directory
#    that ExecStart= or EnvironmentFile= names is installed. (LoadCredential= files are the
#    store's secrets, made at set-up: docs/packaging.md.)
units=("$dest"/lib/systemd/system/storeq-*.service)
[ -e "${units[0]}" ] || fail "no storeq unit installed in /lib/systemd/system"
for unit in "${units[@]}"; do
  name=$(basename "$unit")
  paths=$( (sed -n '/^ExecStart=/,/[^\\]$/p' "$unit" | sed 's/^ExecStart=//; s/\\$//'; sed -n 's/^EnvironmentFile=-\{0,1\}//p' "$unit") |
           tr -s ' ' '\n' | grep -E "^($prefix/|/etc/storeq/|$prefix/etc/storeq/)" || true)
  [ -n "$paths" ] || fail "$name names no installed path (ExecStart not under $prefix?)"
  for path in $paths; do
    [ -e "$dest$path" ] || fail "$name names $path, which is not installed"
  done
  exe=$(sed -n 's/^ExecStart=//p' "$unit" | tr ' ' '\n' | grep -m1 "^$bindir/storeq-") || fail "$name: ExecStart runs no storeq program from $bindir"
  [ -x "$dest$exe" ] || fail "$name: $exe is not an installed executable"
done

# 2. Every file under the configuration directories is a conffile of exactly one package.
conffiles=$(cat "$build"/packaging/*/conffiles | grep -v '^$' | sort)
for file in $conffiles; do
  [ -f "$dest$file" ] || fail "conffile $file is not installed"
done
installed_etc=$(cd "$dest" && find . -path ./lib -prune -o -path "./$prefix/share" -prune -o -path "./$prefix/bin" -prune -o -type f -print |
                sed 's/^\.//' | grep -E '(^/etc/|/etc/)' | sort || true)
extra=$(comm -13 <(echo "$conffiles") <(echo "$installed_etc") | grep -v '^$' || true)
[ -z "$extra" ] || fail "installed under etc but no package's conffile: $extra"
dupes=$(echo "$conffiles" | uniq -d)
[ -z "$dupes" ] || fail "a conffile in two packages: $dupes"

# 3. The web app: nginx's root holds the pages, and every script and stylesheet a page loads
#    is installed (and nothing of the tests or of npm's other packages is).
site=$(grep -l "root " "$dest"/etc/nginx/sites-available/storeq "$dest$prefix"/etc/nginx/sites-available/storeq 2>/dev/null | head -1 || true)
if [ -n "$site" ]; then
  root=$(sed -n 's/^ *root \(.*\);/\1/p' "$site")
  [ -f "$dest$root/index.html" ] || fail "nginx's root $root holds no index.html"
  while IFS= read -r page; do
    dir=$(dirname "$page")
    for ref in $(grep -oE '(src|href)="[^"#?]+"' "$page" | sed -E 's/^(src|href)="//; s/"$//' | grep -vE '^(https?:|mailto:)'); do
      case "$ref" in
        /*) target=$dest$root$ref ;;
        */) target=$dir/$ref/index.html ;;
        *) target=$dir/$ref ;;
      esac
      [ -e "$target" ] || fail "${page#"$dest"} loads $ref, which is not installed"
    done
  done < <(find "$dest$root" -name '*.html')
  [ "$(find "$dest$root/node_modules" -type f | wc -l)" = 1 ] || fail "node_modules holds more than mqtt.min.js"
  ! find "$dest$root" -name '*test*' | grep -q . || fail "test files installed with the web app"
fi

# 4. The installed kiosk reads the installed language files (found beside its own bin/).
if [ -x "$dest$bindir/storeq-kiosk" ]; then
  log=$(env -u STOREQ_ASSETS SDL_VIDEODRIVER=dummy "$dest$bindir/storeq-kiosk" --role feedback --store s1 --id exit-1 \
          --broker 127.0.0.1:9 --outbox "$dest/outbox.db" --screenshot "$dest/kiosk.png" 2>&1) || fail "the installed kiosk failed: $log"
  echo "$log" | grep -q "language files in $dest$prefix/share/storeq/kiosk/lang" ||
    fail "the installed kiosk did not read $prefix/share/storeq/kiosk/lang: $log"
fi

if [ "$failures" -ne 0 ]; then echo "$failures failure(s)"; exit 1; fi
echo "install layout: ${#units[@]} units, $(echo "$conffiles" | wc -l) conffiles, the web pages and the kiosk's language files are where they are named"
