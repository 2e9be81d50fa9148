"""Spooler handler loaded by a real uWSGI consumer (``--import consumer_handler``) in the interop tests.

For every task it writes ``<TYPEDSPOOL_OUT>/<spooler_task_name>.json`` describing exactly what the
handler received (every key with its Python type, keys and values base64-encoded since they are
bytes), appends one line to ``<TYPEDSPOOL_OUT>/runs.log``, and returns uwsgi.SPOOL_OK. Tasks that
carry ``ud_spool_func`` are handed on to uwsgidecorators, whose @spool function ``ud_record``
writes ``<TYPEDSPOOL_OUT>/ud-<spooler_task_name>.json`` with the dict it was called with.
Optional packet key ``sleep_ms`` delays the handler (used to widen race windows).
"""
import base64
import json
import os
import time

import uwsgi
import uwsgidecorators

OUT = os.environ['TYPEDSPOOL_OUT']


def _write_json(name, data):
    tmp = os.path.join(OUT, '.tmp-' + name)
    with open(tmp, 'w', encoding='utf-8') as f:
        json.dump(data, f)
    os.rename(tmp, os.path.join(OUT, name))


def _b64(value):
    if isinstance(value, str):
        value = value.encode('utf-8')
    return base64.b64encode(value).decode('ascii')


@uwsgidecorators.spool
def ud_record(arguments):
    task = arguments.get('spooler_task_name', '?')
    _write_json('ud-%s.json' % task, {'pid': os.getpid(), 'arguments': arguments})
    return uwsgi.SPOOL_OK


# uwsgidecorators installed its own dispatcher as uwsgi.spooler at import; keep it for ud tasks.
_ud_dispatch = uwsgi.spooler


def handle(env):
    task = env['spooler_task_name'].decode('utf-8')
    sleep_ms = env.get(b'sleep_ms')
    if sleep_ms:
        time.sleep(int(sleep_ms) / 1000.0)
    line = json.dumps({'pid': os.getpid(), 'task': task,
                       'id': env.get(b'id', b'').decode('utf-8', 'replace'),
                       'cwd': os.getcwd()}) + '\n'
    fd = os.open(os.path.join(OUT, 'runs.log'), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line.encode('utf-8'))
    finally:
        os.close(fd)
    items = [{'key_type': type(k).__name__, 'key': _b64(k), 'value_type': type(v).__name__, 'value': _b64(v)}
             for k, v in env.items()]
    result = uwsgi.SPOOL_OK
    if b'ud_spool_func' in env:
        result = _ud_dispatch(dict(env))
    _write_json(task + '.json', {'pid': os.getpid(), 'items': items, 'result': result})
    return result


uwsgi.spooler = handle
