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
echo "bench.sh: ${SECONDS} s including the build, exit code $status" >&2
exit "$status"
