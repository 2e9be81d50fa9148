"""The benchmark task for a real uWSGI spooler (--import bench_handler): append the id to a file.

A uwsgidecorators @spool function named bench_append, the wire name the .NET producers also write in
ud_spool_func, so files from either side run here. Each run appends "<id> <t_enq> <t_start>" to BENCH_LOG, with
CLOCK_MONOTONIC nanoseconds (time.monotonic_ns, the clock .NET's Stopwatch reads on Linux), using the same
open(O_APPEND)/write/close as the .NET task. When BENCH_EXPECT runs are done it writes BENCH_DONE (JSON): this
spooler process's CPU time at the first and last run, and its peak RSS.
"""
import json
import os
import time

import uwsgi

# uwsgidecorators registers @spool functions only when the option named exactly "spooler" is set; a producer-only
# instance has --spooler-external, so alias it (what gets written does not change).
if 'spooler' not in uwsgi.opt and 'spooler-external' in uwsgi.opt:
    uwsgi.opt['spooler'] = uwsgi.opt['spooler-external']

import uwsgidecorators  # noqa: E402 (needs the alias above)

LOG = os.environ.get('BENCH_LOG', '')
EXPECT = int(os.environ.get('BENCH_EXPECT', '0'))
DONE = os.environ.get('BENCH_DONE', '')

_count = 0
_cpu_first_ns = 0


def _peak_rss_kb():
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith('VmHWM:'):
                return int(line.split()[1])
    return 0


def _publish(path, data):
    with open(path + '.tmp', 'w') as f:
        json.dump(data, f)
    os.rename(path + '.tmp', path)


@uwsgidecorators.spool
def bench_append(arguments):
    global _count, _cpu_first_ns
    started = time.monotonic_ns()
    line = '%s %s %d\n' % (arguments['id'], arguments['t_enq'], started)
    fd = os.open(LOG, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        os.write(fd, line.encode('ascii'))
    finally:
        os.close(fd)
    _count += 1
    if _count == 1:
        _cpu_first_ns = time.process_time_ns()
    if _count == EXPECT:
        _publish(DONE, {'cpu_first_ns': _cpu_first_ns, 'cpu_last_ns': time.process_time_ns(),
                        'peak_rss_kb': _peak_rss_kb(), 'pid': os.getpid()})
