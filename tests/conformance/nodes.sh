# Sourced by record.sh and record_races.sh: the node binaries expected outputs are recorded from, and the
# requirement line of a program. Not a program of its own.
#
# The nodes are the ones ci/setup provides (and ci/cmake/LoopsimNodes.cmake finds for the tests):
#   18  Debian's nodejs 18.20.4+dfsg-1~deb12u3 through the launcher $LOOPSIM_PREFIX/bin/node
#       (default build/third_party/node18)
#   20  the machine's own `node` on PATH
#   22+ official builds from npm in $LOOPSIM_NODES_DIR/node-VERSION/bin/node (default build/third_party)
# Each must report the version pinned below: expected outputs belong to exact builds, and a silently
# updated node would re-record them from another one. `--node PATH` (see load_nodes) replaces the node of
# the major PATH reports, or adds a major, and is taken at whatever version it reports.

# Pinned versions, by major: the builds the expected files in programs/ and races/ come from.
declare -A pinned_version=([18]=18.20.4 [20]=20.20.2 [22]=22.23.5 [24]=24.22.3 [26]=26.12.1)

declare -A node_path=()     # major -> path of a node
declare -A node_version=()  # major -> its version without the v, e.g. 22.23.5
majors=()                   # the majors, ascending

# version_ge A B: true when version A (X[.Y[.Z]]) is at least B; missing parts count as 0.
version_ge() {
  local -a a b
  IFS=. read -r -a a <<<"$1"
  IFS=. read -r -a b <<<"$2"
  local i
  for i in 0 1 2; do
    if ((${a[i]:-0} != ${b[i]:-0})); then
      ((${a[i]:-0} > ${b[i]:-0}))
      return
    fi
  done
  return 0
}

# add_node PATH [PINNED]: files PATH under the major its --version reports; with PINNED, refuses any
# other version.
add_node() {
  local path=$1 pinned=${2:-} version
  if [ ! -x "$path" ]; then
    echo "${0##*/}: no node at $path (run ci/setup first)" >&2
    exit 1
  fi
  version=$("$path" --version) || { echo "${0##*/}: $path --version failed" >&2; exit 1; }
  version=${version#v}
  if [ -n "$pinned" ] && [ "$version" != "$pinned" ]; then
    echo "${0##*/}: $path is node $version, expected the pinned $pinned (pass another with --node PATH)" >&2
    exit 1
  fi
  node_path[${version%%.*}]=$path
  node_version[${version%%.*}]=$version
}

# load_nodes "$top" [--node PATH]...: fills node_path, node_version and majors with the pinned nodes
# and any --node given; sets `rest` to the remaining arguments.
load_nodes() {
  local top=$1 third_party major
  shift
  third_party=${LOOPSIM_NODES_DIR:-$top/build/third_party}
  local -a extra=()
  rest=()
  while [ $# -gt 0 ]; do
    case $1 in
      --node) [ $# -ge 2 ] || { echo "${0##*/}: --node needs a path" >&2; exit 1; }
              extra+=("$2"); shift 2 ;;
      --node=*) extra+=("${1#--node=}"); shift ;;
      *) rest+=("$1"); shift ;;
    esac
  done
  add_node "${LOOPSIM_PREFIX:-$top/build/third_party/node18}/bin/node" "${pinned_version[18]}"
  add_node "$(command -v node || echo /usr/bin/node)" "${pinned_version[20]}"
  for major in 22 24 26; do
    add_node "$third_party/node-${pinned_version[$major]}/bin/node" "${pinned_version[$major]}"
  done
  local path
  for path in "${extra[@]}"; do add_node "$path"; done
  mapfile -t majors < <(printf '%s\n' "${!node_path[@]}" | sort -n)
}

# requirement FILE: prints the X[.Y[.Z]] of the program's `// requires: node >= X[.Y[.Z]]` line, or
# nothing when it has none. The line must be in the leading comment block (the lines before the first
# one that is neither blank nor a `//` comment; a `#!` first line is skipped), as expected.cc reads it.
# A malformed requires line is an error.
requirement() {
  awk -v file="$1" '
    NR == 1 && /^#!/ { next }
    /^[ \t]*$/ { next }
    /^[ \t]*\/\// {
      if ($0 ~ /requires:/) {
        if (match($0, /^[ \t]*\/\/[ \t]*requires:[ \t]*node[ \t]*>=[ \t]*[0-9]+(\.[0-9]+(\.[0-9]+)?)?[ \t]*$/)) {
          line = $0; sub(/.*>=[ \t]*/, "", line); sub(/[ \t]*$/, "", line); print line; exit 0
        }
        print file ": malformed requires line: " $0 > "/dev/stderr"; exit 1
      }
      next
    }
    { exit 0 }' "$1"
}

# The environment a recorded program runs in: the variables loopsim's simulated host gives a program
# (fakeos/host.h), so a recording depends neither on the recorder's shell (NODE_OPTIONS, FORCE_COLOR,
# NO_COLOR, TZ, ...) nor on which major runs. HOME, PATH and USER keep their real values.
clean_env=(env -i "HOME=${HOME:-/root}" LANG=C.UTF-8 "PATH=$PATH" "TMPDIR=${TMPDIR:-/tmp}" TZ=UTC
           "USER=${USER:-$(id -un)}")

# node_runs FILE MAJOR: true when the node of MAJOR satisfies FILE's requirement.
node_runs() {
  local min
  min=$(requirement "$1") || exit 1
  [ -z "$min" ] || version_ge "${node_version[$2]}" "$min"
}
