#!/usr/bin/env bash
# Issue 7's end-to-end benchmark: the same trivial task (append an id to a file) through TypedSpool durable and
# non-durable, the real uWSGI spooler, and Hangfire with SQLite and in-memory storage, on this machine in one run.
# Prints the table and writes table.txt and results.json to --out (default artifacts/bench/).
#
# Usage: tests/TypedSpool.Benchmarks/bench.sh [--quick] [--n N] [--repetitions R] [--out DIR] [more e2e options]
#   --quick            small N and fewer latency samples (under 3 minutes with the build on 2 cores)
#   --n N              tasks per phase (default 10000; hangfire-sqlite: min(N, 2000), see --n-sqlite)
#   --repetitions R    runs per system; the table shows medians (default 3)
#   more: --n-sqlite N --latency-tasks L --interval-us U --interval-sqlite-us U --systems a,b --no-scaling --work DIR --keep
# Exits non-zero only if a run failed (tasks missing, a process died, a timeout), never because of a figure.
set -uo pipefail
cd "$(dirname "$0")/../.."

# The uWSGI peer: Debian's uwsgi 2.0 with the python3 plugin and uwsgidecorators (as tests/run-all.sh installs
# them). If they cannot be installed, the harness reports uwsgi as skipped with the reason.
packages=()
[ -x /usr/bin/uwsgi ] || packages+=(uwsgi)
[ -e /usr/lib/uwsgi/plugins/python3_plugin.so ] || packages+=(uwsgi-plugin-python3)
[ -e /usr/lib/python3/dist-packages/uwsgidecorators.py ] || packages+=(python3-uwsgidecorators)
if [ ${#packages[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then sudo=""; elif sudo -n true 2>/dev/null; then sudo="sudo"; else sudo="unavailable"; fi
  if [ "$sudo" != unavailable ] && command -v apt-get >/dev/null; then
    echo "Installing ${packages[*]} ..." >&2
    $sudo apt-get update -qq >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${packages[@]}" >/dev/null 2>&1 \
      || echo "warning: could not install ${packages[*]}; uwsgi will be reported as skipped" >&2
  else
    echo "warning: cannot install ${packages[*]} (no root or apt-get); uwsgi will be reported as skipped" >&2
  fi
fi

# Another build of the same projects may hold the output files for a moment: retry that case only.
for attempt in 1 2 3; do
  if build_log=$(dotnet build tests/TypedSpool.Benchmarks -c Release -nologo -v quiet 2>&1); then break; fi
  if [ "$attempt" = 3 ] || ! grep -q "being used by another process\|MSB3026\|MSB3027" <<<"$build_log"; then
    echo "$build_log" >&2
    echo "bench.sh: the build failed" >&2
    exit 2
  fi
  sleep 10
done

tests/TypedSpool.Benchmarks/bin/Release/net10.0/TypedSpool.Benchmarks e2e "$@"
status=$?

# The floor: the same file protocol in a few lines of C (Baseline/cspool.c), run now, on the same disk, so that
# TypedSpool's durable enqueue is compared with it in the same run (the disk's speed varies from run to run).
out="artifacts/bench"; n=3000
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift ;;
    --quick) n=1000 ;;
  esac
  shift
done
cc=$(command -v clang || command -v gcc || true)
if [ -n "$cc" ] && [ -d "$out" ]; then
  work=$(mktemp -d)
  "$cc" -O2 -pthread -o "$work/cspool" tests/TypedSpool.Benchmarks/Baseline/cspool.c
  run() { mkdir -p "$work/$1"; "$work/cspool" "${@:2}" | tr -d '\n'; }
  c1=$(run a enqueue "$work/a" "$n" 1 1); c4=$(run b enqueue "$work/b" "$n" 1 4)
  ce=$(run c e2e "$work/c" "$((n * 5))" 0); cd_=$(run d e2e "$work/d" "$n" 1)
  rm -rf "$work"
  ts1=$(grep -o '1 producer [0-9]*/s' "$out/table.txt" | grep -o '[0-9]*/s' | tr -d '/s')
  line="C baseline (Baseline/cspool.c, n = $n): durable enqueue 1 producer ${c1}/s, 4 threads ${c4}/s; e2e no fsync ${ce}/s, e2e fsync ${cd_}/s"
  [ -n "$ts1" ] && line="$line; TypedSpool durable 1 producer / C: $(awk "BEGIN { printf \"%.2fx\", $ts1 / $c1 }")"
  echo "$line" | tee -a "$out/table.txt"
else
  echo "C baseline skipped: no clang or gcc" | tee -a "$out/table.txt" 2>/dev/null
fi
echo "bench.sh: ${SECONDS} s including the build and the C baseline, exit code $status" >&2
exit "$status"
