#!/bin/sh
# Installs the Debian packages named by "check:package" arguments whose check
# fails.  A check that is a path must exist; otherwise it must be a command.
set -u
missing=""
for pair in "$@"; do
    check=${pair%%:*}
    pkg=${pair#*:}
    case $check in
        /*) [ -e "$check" ] && continue ;;
        *)  command -v "$check" >/dev/null 2>&1 && continue ;;
    esac
    case " $missing " in *" $pkg "*) ;; *) missing="$missing $pkg" ;; esac
done
[ -z "$missing" ] && exit 0

echo "deps: missing Debian packages:$missing" >&2
if [ "$(id -u)" = 0 ]; then
    sudo=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo="sudo"
else
    echo "deps: run as root:  apt-get update && apt-get install -y$missing" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# One update per machine; a stale or empty package list finds nothing.
stamp=/var/lib/apt/periodic/tinycep-update-stamp
if [ ! -e "$stamp" ] || [ -z "$(ls /var/lib/apt/lists/ 2>/dev/null | grep -v -e lock -e partial)" ]; then
    $sudo apt-get update -qq || { echo "deps: apt-get update failed" >&2; exit 1; }
    $sudo mkdir -p "$(dirname "$stamp")" && $sudo touch "$stamp"
fi
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing >&2 || {
    echo "deps: apt-get install$missing failed" >&2; exit 1; }
echo "deps: installed$missing" >&2
