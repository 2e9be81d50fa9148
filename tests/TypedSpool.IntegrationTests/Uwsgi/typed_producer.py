"""Producer for the typed-task interop test, loaded by uWSGI with --spooler-external DIR --import typed_producer.

A Python application spools work for a C# worker: once with a uwsgidecorators @spool function whose name is the
C# task's wire name, once with a plain uwsgi.spool dict carrying ud_spool_func. All values are strings, as
Python producers write them. Writes TYPEDSPOOL_DONE (JSON: the paths, or the error) when finished.
"""
import json
import os
import traceback

import uwsgi

DONE = os.environ['TYPEDSPOOL_DONE']


def produce():
    if 'spooler' not in uwsgi.opt and 'spooler-external' in uwsgi.opt:
        uwsgi.opt['spooler'] = uwsgi.opt['spooler-external']
    import uwsgidecorators

    @uwsgidecorators.spool
    def greet_user(arguments):
        return uwsgi.SPOOL_OK

    paths = [
        greet_user({'name': 'Ada Lovelace', 'times': '3', 'polite': 'true', 'since': '1843-07-01T00:00:00.0000000Z'}),
        uwsgi.spool({b'ud_spool_func': b'greet_user', b'name': 'Grace H\u00f6pper'.encode('utf-8'), b'times': b'1',
                     b'polite': b'false'}),
    ]
    return [p.decode('utf-8') for p in paths]


try:
    result = {'paths': produce()}
except Exception:
    result = {'error': traceback.format_exc()}
with open(DONE + '.tmp', 'w', encoding='utf-8') as f:
    json.dump(result, f)
os.rename(DONE + '.tmp', DONE)
