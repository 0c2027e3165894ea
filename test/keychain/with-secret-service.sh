#!/usr/bin/env bash
# Runs a command against a real Secret Service: a private D-Bus session with a fresh, unlocked
# gnome-keyring whose data lives in a throw-away folder (an existing keyring with another
# password would be locked). Usage: with-secret-service.sh CMD [ARGS...]
set -euo pipefail
if [ -z "${SPOKESMITH_IN_PRIVATE_BUS:-}" ]; then
  exec env SPOKESMITH_IN_PRIVATE_BUS=1 dbus-run-session -- "$0" "$@"
fi
data=$(mktemp -d)
export XDG_DATA_HOME="$data" XDG_CONFIG_HOME="$data/config" XDG_CACHE_HOME="$data/cache"
export SPOKESMITH_KEYCHAIN_REAL=1
printf 'spokesmith-test-keyring' | gnome-keyring-daemon --foreground --unlock --components=secrets >"$data/daemon.log" 2>&1 &
daemon=$!
cleanup() { kill "$daemon" 2>/dev/null || true; wait "$daemon" 2>/dev/null || true; rm -rf "$data"; }
trap cleanup EXIT
for _ in $(seq 1 100); do
  if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'; then
    break
  fi
  sleep 0.05
done
"$@"
