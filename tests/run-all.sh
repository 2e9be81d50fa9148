#!/usr/bin/env bash
# Sets up what the tests need, runs every test project, and prints "N passed, N failed, N skipped".
# Usage: tests/run-all.sh [extra dotnet test options]
set -uo pipefail
cd "$(dirname "$0")/.."

# Debian packages the integration tests use: real uWSGI 2.0 with Python 3 and uwsgidecorators (interop),
# strace (the durable-write protocol), python3 (a POSIX-lock holder), clang and zlib1g-dev (NativeAOT links the
# AOT worker sample with them; gcc works too when clang is absent). A test whose tool is missing skips with the
# reason; it never passes.
packages=()
[ -x /usr/bin/uwsgi ] || packages+=(uwsgi)
[ -e /usr/lib/uwsgi/plugins/python3_plugin.so ] || packages+=(uwsgi-plugin-python3)
[ -e /usr/lib/python3/dist-packages/uwsgidecorators.py ] || packages+=(python3-uwsgidecorators)
command -v strace >/dev/null || packages+=(strace)
command -v python3 >/dev/null || packages+=(python3)
command -v clang >/dev/null || packages+=(clang)
[ -e /usr/include/zlib.h ] || packages+=(zlib1g-dev)
if [ ${#packages[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then sudo=""; elif sudo -n true 2>/dev/null; then sudo="sudo"; else sudo="unavailable"; fi
  if [ "$sudo" != unavailable ] && command -v apt-get >/dev/null; then
    echo "Installing ${packages[*]} ..."
    $sudo apt-get update -qq >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${packages[@]}" >/dev/null 2>&1 \
      || echo "warning: could not install ${packages[*]}; the tests that need them will be skipped" >&2
  else
    echo "warning: cannot install ${packages[*]} (no root or apt-get); the tests that need them will be skipped" >&2
  fi
fi

results="artifacts/test-results"
rm -rf "$results"
dotnet test --report-trx --results-directory "$results" "$@"
status=$?

count() { cat "$results"/*.trx 2>/dev/null | grep -o "<UnitTestResult [^>]*outcome=\"$1\"" | wc -l; }
passed=$(count Passed)
failed=$(( $(count Failed) + $(count Error) + $(count Timeout) + $(count Aborted) ))
skipped=$(count NotExecuted)
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # the run itself failed (build error, crash, no test ran)
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
