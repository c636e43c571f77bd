#!/usr/bin/env bash
# Shows that ci/check-layers catches each include that crosses a layer boundary the wrong way (and names
# file:line), and leaves alone what the layers may include: runtime/ through fakeos/kernel.h and
# fakeos/base/, sim/ anything below it, fakeos/ its own headers and the system's.
set -uo pipefail
check="$(cd "$(dirname "$0")/.." && pwd)/ci/check-layers"
source "$(dirname "$0")/support/expect.sh"
write() {  # write <path> <text>
  mkdir -p "$(dirname "$1")"
  printf '%s\n' "$2" > "$1"
}

good="$dir/good"
write "$good/fakeos/base/check.h" '#include <cstdio>'
write "$good/fakeos/base/prng.cc" '#include "fakeos/base/check.h"'
write "$good/fakeos/epoll.h" '#include <sys/epoll.h>
#include "fakeos/base/check.h"'
write "$good/fakeos/kernel.h" '#include "fakeos/epoll.h"'
write "$good/runtime/uv/loop.cc" '#include <uv.h>
#include "fakeos/base/check.h"
#include "fakeos/kernel.h"
#include "runtime/uv/internal.h"
// #include "fakeos/epoll.h" in a comment is not an include'
write "$good/sim/explore.cc" '#include "fakeos/epoll.h"
#include "runtime/node/launch.h"'

out=$("$check" "$good" 2>&1); rc=$?
expect "a tree that keeps the boundaries passes" '[ $rc -eq 0 ]'

bad="$dir/bad"
cp -r "$good" "$bad"
write "$bad/runtime/uv/epoll_backend.cc" '#include "runtime/uv/backend.h"
#include "fakeos/epoll.h"'
write "$bad/runtime/runtime.cc" '#include "sim/cli.h"'
write "$bad/fakeos/vfs.cc" '#include "fakeos/kernel.h"
#  include "runtime/runtime.h"
#include "sim/explore.h"
#include <uv.h>
#include <v8-platform.h>'
write "$bad/fakeos/base/trace.cc" '#include "fakeos/chooser.h"'

out=$("$check" "$bad" 2>/dev/null); rc=$?
expect "a violation fails the check" '[ $rc -eq 1 ]'
expect "runtime including a fakeos header other than kernel.h is reported" \
  'grep -q "^runtime/uv/epoll_backend.cc:2: " <<< "$out"'
expect "runtime including sim is reported" 'grep -q "^runtime/runtime.cc:1: " <<< "$out"'
for line in 2 3 4 5; do
  expect "fakeos/vfs.cc:$line (runtime, sim, libuv or V8) is reported" 'grep -q "^fakeos/vfs.cc:$line: " <<< "$out"'
done
expect "the shared leaf including the rest of fakeos is reported" 'grep -q "^fakeos/base/trace.cc:1: " <<< "$out"'
expect "exactly seven findings" '[ "$(wc -l <<< "$out")" -eq 7 ]'

finish
