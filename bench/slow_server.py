#!/usr/bin/env python3
"""A slow HTTP/1.1 keep-alive server for bench/loops: the shape of a real wiki.

Every GET /x/N waits a "think time" (uniform in [--think-min, --think-max] s,
seeded by N so every client sees the same delays), then sends the recorded
RecentChanges page (the exception page with HTTP 500 when N % 100 == 0) in
--chunk byte writes --interval s apart (TCP_NODELAY, so each write arrives as
its own burst, like segments over a WAN link). Connections are desynchronised
by the random think times, so a client wakes up for a few sockets at a time
while the other connections wait: what a crawl of slow wikis looks like (a
logged-in RC page takes seconds to render; ~6 pages/s over 32 connections).

nginx's limit_rate cannot do this: it paces by whole seconds, so all its
connections get their bytes in one burst per second.

  slow_server.py PAGE EXCEPTION_PAGE [--think-min 1] [--think-max 4]
                 [--chunk 8192] [--interval 0.008]

Listens on 127.0.0.1 and an ephemeral port, prints the port on stdout, and
exits when its stdin closes (or on SIGTERM).
"""
import argparse
import asyncio
import random
import re
import socket
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("page")
    ap.add_argument("exception_page")
    ap.add_argument("--think-min", type=float, default=1.0)
    ap.add_argument("--think-max", type=float, default=4.0)
    ap.add_argument("--chunk", type=int, default=8192)
    ap.add_argument("--interval", type=float, default=0.008)
    a = ap.parse_args()
    page = open(a.page, "rb").read()
    exception = open(a.exception_page, "rb").read()

    def response(status, body):
        reason = b"OK" if status == 200 else b"Internal Server Error"
        head = (b"HTTP/1.1 %d %s\r\nContent-Type: text/html; charset=UTF-8\r\n"
                b"Content-Length: %d\r\nConnection: keep-alive\r\n\r\n" % (status, reason, len(body)))
        return head, body

    ok = response(200, page)
    error = response(500, exception)

    async def handle(reader, writer):
        writer.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                m = re.match(rb"[A-Z]+ /x/(\d+)", head)
                n = int(m.group(1)) if m else 0
                h, body = error if n and n % 100 == 0 else ok
                await asyncio.sleep(random.Random(n).uniform(a.think_min, a.think_max))
                writer.write(h)
                for off in range(0, len(body), a.chunk):
                    writer.write(body[off:off + a.chunk])
                    await writer.drain()
                    if off + a.chunk < len(body):
                        await asyncio.sleep(a.interval)
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()

    async def serve():
        server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=256)
        print(server.sockets[0].getsockname()[1], flush=True)
        loop = asyncio.get_running_loop()
        # Exit when stdin closes (the driver died or is done).
        await loop.run_in_executor(None, sys.stdin.read)
        server.close()

    try:
        asyncio.run(serve())
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
