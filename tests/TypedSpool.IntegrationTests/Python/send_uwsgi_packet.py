"""A uwsgi-protocol spool client, as uWSGI-world tools write one (Perl Net::uwsgi, uWSGI's own test tools):
pack the dict as modifier1 17, send it, print the 4-byte answer in hex.

usage: send_uwsgi_packet.py HOST PORT key=value...
"""
import socket
import struct
import sys


def area(pairs):
    out = b''
    for key, value in pairs:
        k, v = key.encode('utf-8'), value.encode('utf-8')
        out += struct.pack('<H', len(k)) + k + struct.pack('<H', len(v)) + v
    return out


def main():
    host, port = sys.argv[1], int(sys.argv[2])
    pairs = [arg.split('=', 1) for arg in sys.argv[3:]]
    body = area(pairs)
    packet = struct.pack('<BHB', 17, len(body), 0) + body
    s = socket.create_connection((host, port), timeout=10)
    s.sendall(packet)
    answer = b''
    while True:
        chunk = s.recv(16)
        if not chunk:
            break
        answer += chunk
    s.close()
    print(answer.hex())


if __name__ == '__main__':
    main()
