#!/usr/bin/env python3
"""Holds a POSIX record lock on a file, the way a uWSGI spooler or writer does.

Usage: hold_posix_lock.py PATH

Opens PATH read-write and takes fcntl.lockf(fd, LOCK_EX) (F_SETLKW, F_WRLCK, whole
file: uWSGI's uwsgi_fcntl_lock), prints "locked <pid>" once it holds it, then waits
for a line on stdin (or stdin closing), releases the lock, prints "released" and exits.
"""
import fcntl
import os
import sys


def main() -> int:
    path = sys.argv[1]
    fd = os.open(path, os.O_RDWR)
    fcntl.lockf(fd, fcntl.LOCK_EX)
    print(f"locked {os.getpid()}", flush=True)
    sys.stdin.readline()
    fcntl.lockf(fd, fcntl.LOCK_UN)
    os.close(fd)
    print("released", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
