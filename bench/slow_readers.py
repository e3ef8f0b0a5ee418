"""Memory held by clients that ask for the largest /data answer and never read it (issue 24, item 9).

`python -m bench.slow_readers [--clients 40 160]`: starts `streamlit run app.py`, warms the answer once (the Site
makes its bytes once and keeps them), then opens N connections that each send the request and read nothing, and
reports the server's RSS before, while they wait, and after they have gone, as MB and as a ratio against the RSS
with the answer warmed. Goal: the held memory does not grow with the clients (each holds at most a chunk and the
socket's own buffers), and comes back down when they leave.
"""

from __future__ import annotations

import argparse
import socket
import time
import urllib.request

from tests.stserver import HOST, Server, rss_bytes

PATH = "/data/overdose_deaths_releases.json"


def _mb(n: int) -> float:
    return n / 1e6


def _warm(server: Server) -> int:
    with urllib.request.urlopen(server.base + PATH, timeout=120) as response:
        return len(response.read())


def _hold(server: Server, clients: int) -> list[socket.socket]:
    held = []
    for _ in range(clients):
        sock = socket.create_connection((HOST, server.port), timeout=30)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # a reader that takes almost nothing
        sock.sendall(f"GET {PATH} HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n".encode())
        held.append(sock)
    return held


def run(clients_list: list[int]) -> None:
    with Server() as server:
        size = _warm(server)
        time.sleep(2)
        warmed = rss_bytes(server.pid)
        print(f"{PATH}: {size / 1e6:.1f} MB; server RSS with it made once: {_mb(warmed):.0f} MB")
        for clients in clients_list:
            held = _hold(server, clients)
            time.sleep(8)  # let the server push what the sockets take
            during = rss_bytes(server.pid)
            for sock in held:
                sock.close()
            time.sleep(5)
            after = rss_bytes(server.pid)
            print(
                f"{clients:4d} slow clients: RSS {_mb(during):.0f} MB while held ({during / warmed:.2f}x), "
                f"{_mb(after):.0f} MB after ({after / warmed:.2f}x); {_mb(during - warmed) / clients:.2f} MB per client"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[40, 160])
    run(parser.parse_args().clients)


if __name__ == "__main__":
    main()
