"""The misbehaving clients of scripts/soak.sh, until a deadline, on loopback only.

  clients.py slow HOST PORT SECONDS COUNT   COUNT connections that send the start of a request
                                             and never finish its headers; each one the server
                                             closes is opened again. Prints how many it opened.
  clients.py hangup HOST PORT SECONDS BODY  requests for BODY's solve that hang up after the
                                             first bytes of the answer, one after another.
  clients.py probe HOST PORT SECONDS        GET /healthz once a second; prints the worst latency
                                             in ms and the number of probes that failed.
"""

import selectors
import socket
import sys
import time


def slow(host, port, seconds, count):
    deadline = time.monotonic() + seconds
    selector = selectors.DefaultSelector()
    opened = 0

    def open_one():
        nonlocal opened
        s = socket.create_connection((host, port))
        s.sendall(b"POST /v1/solve HTTP/1.1\r\nHost: soak\r\n")
        s.setblocking(False)
        selector.register(s, selectors.EVENT_READ)
        opened += 1

    for _ in range(count):
        open_one()
    while time.monotonic() < deadline:
        for key, _ in selector.select(timeout=0.5):
            s = key.fileobj
            try:
                data = s.recv(4096)
            except OSError:
                data = b""
            if not data:
                selector.unregister(s)
                s.close()
                open_one()
    print(opened)


def hangup(host, port, seconds, body_path):
    with open(body_path, "rb") as f:
        body = f.read()
    request = (b"POST /v1/solve HTTP/1.1\r\nHost: soak\r\nContent-Type: application/json\r\n"
               b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
    deadline = time.monotonic() + seconds
    count = 0
    while time.monotonic() < deadline:
        s = socket.create_connection((host, port))
        s.sendall(request)
        s.settimeout(30)
        try:
            s.recv(100)
        except OSError:
            pass
        s.close()
        count += 1
        time.sleep(0.2)
    print(count)


def probe(host, port, seconds):
    deadline = time.monotonic() + seconds
    worst = 0.0
    failed = 0
    while time.monotonic() < deadline:
        start = time.monotonic()
        try:
            s = socket.create_connection((host, port), timeout=5)
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: soak\r\nConnection: close\r\n\r\n")
            reply = b""
            while True:
                data = s.recv(4096)
                if not data:
                    break
                reply += data
            s.close()
            if not reply.startswith(b"HTTP/1.1 200"):
                failed += 1
        except OSError:
            failed += 1
        worst = max(worst, time.monotonic() - start)
        time.sleep(max(0.0, 1.0 - (time.monotonic() - start)))
    print(f"{worst * 1000:.1f} {failed}")


if __name__ == "__main__":
    mode, host, port, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    if mode == "slow":
        slow(host, port, seconds, int(sys.argv[5]))
    elif mode == "hangup":
        hangup(host, port, seconds, sys.argv[5])
    else:
        probe(host, port, seconds)
