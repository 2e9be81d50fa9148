"""Producer loaded by a real uWSGI instance (``--spooler-external DIR --import producer``) in the interop tests.

At import time, in the uWSGI master, it enqueues a fixed set of tasks with ``uwsgi.spool`` and with a
uwsgidecorators ``@spool`` function, then writes ``TYPEDSPOOL_DONE`` (a JSON manifest: for each task
its label, the path uWSGI returned, and the dict passed in) atomically. Nothing consumes the files:
the instance only declares the directory with --spooler-external. Any failure is written into the
manifest as ``error`` so the test can report it.
"""
import json
import os
import traceback

import uwsgi

DONE = os.environ['TYPEDSPOOL_DONE']


def body_bytes(n):
    # Deterministic, non-repeating-looking bytes, covering all 256 values; the test recomputes them.
    return bytes((i * 131 + (i >> 8) * 7 + 3) & 0xFF for i in range(n))


def _publish(manifest):
    tmp = DONE + '.tmp'
    with open(tmp, 'w', encoding='utf-8') as f:
        json.dump(manifest, f)
    os.rename(tmp, DONE)


def _text(d):
    return {k.decode('utf-8'): v.decode('utf-8') for k, v in d.items()}


def produce():
    # uwsgidecorators registers @spool functions only when the option named exactly "spooler" is set;
    # --spooler-external alone is not enough, so alias it (this does not change what gets written).
    if 'spooler' not in uwsgi.opt and 'spooler-external' in uwsgi.opt:
        uwsgi.opt['spooler'] = uwsgi.opt['spooler-external']
    import uwsgidecorators

    @uwsgidecorators.spool
    def interop_decorated(arguments):
        return uwsgi.SPOOL_OK

    tasks = []

    def spool(label, d):
        sent = dict(d)  # uwsgi.spool deletes b'body' from the dict it is given
        path = uwsgi.spool(d)
        body = sent.pop(b'body', b'')
        tasks.append({'label': label, 'path': path.decode('utf-8'), 'pairs': _text(sent), 'body_len': len(body)})

    spool('plain', {b'task': b'plain', b'to': b'user@example.com', b'subject': b'Hello there'})
    spool('utf8', {b'task': b'utf8', 'clé-ключ'.encode('utf-8'): 'h\u00e9llo w\u00f6rld \u65e5\u672c \U0001f680'.encode('utf-8')})
    spool('body', {b'task': b'bigbody', b'body': body_bytes(100000)})
    spool('priority', {b'task': b'prio', b'priority': b'2'})
    path = interop_decorated({'task': 'decorated', 'who': 'w\u00f6rld'})
    tasks.append({'label': 'decorated', 'path': path.decode('utf-8'),
                  'pairs': {'ud_spool_func': 'interop_decorated', 'ud_spool_ret': '-2', 'task': 'decorated', 'who': 'w\u00f6rld'},
                  'body_len': 0})
    return tasks


try:
    _publish({'pid': os.getpid(), 'tasks': produce()})
except Exception:
    _publish({'error': traceback.format_exc()})
