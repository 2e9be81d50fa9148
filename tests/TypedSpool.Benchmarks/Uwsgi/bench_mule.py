"""The uWSGI-side producer (--mule bench_mule.py): a process of the instance calling the @spool function
bench_append BENCH_N times as fast as it can, which is how a uWSGI application enqueues (uwsgi.spool underneath;
inside the instance each spool wakes an idle spooler with SIGUSR1). Writes BENCH_RESULT (JSON): monotonic ns before
the first and after the last enqueue.

With BENCH_WAIT_SPOOLER=1 (produce-while-consume) it first waits for the instance's spooler process, so that both
run together. Afterwards it parks: the master respawns a mule whose script returns, which would produce again.
"""
import json
import os
import time
import traceback

import uwsgi

RESULT = os.environ['BENCH_RESULT']


def _publish(data):
    with open(RESULT + '.tmp', 'w') as f:
        json.dump(data, f)
    os.rename(RESULT + '.tmp', RESULT)


def produce():
    import bench_handler
    n = int(os.environ['BENCH_N'])
    if os.environ.get('BENCH_WAIT_SPOOLER') == '1':
        while not any(uwsgi.spooler_pids()):
            time.sleep(0.01)
        time.sleep(0.2)
    spool = bench_handler.bench_append
    t0 = time.monotonic_ns()
    for i in range(n):
        spool({'id': str(i), 't_enq': str(time.monotonic_ns())})
    return {'t0_ns': t0, 't1_ns': time.monotonic_ns(), 'pid': os.getpid()}


if not os.path.exists(RESULT):
    try:
        _publish(produce())
    except Exception:
        _publish({'error': traceback.format_exc()})
while True:
    time.sleep(3600)
