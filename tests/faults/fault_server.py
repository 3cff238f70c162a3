#!/usr/bin/env python3
"""Fault-injection HTTP/1.1 server for the engine tests (loopback only).

Binds 127.0.0.1 on a free port, prints "PORT <n>" on stdout, and serves until
stdin reaches EOF (the test closed its pipe or died) or SIGTERM. Standard
library only (asyncio), keep-alive, one small route per fault:

  /ok?size=N                  200 text/html, N bytes (default: a tiny page)
  /corpus?name=X&code=N       tests/corpus/X.body (a recorded MediaWiki page) with status N (200)
  /status?code=N              status N with a small HTML body
  /reset                      reads the request, then resets the connection (RST)
  /stall?sent=N               promises 100000 bytes, sends N (default 10), then stalls
  /truncate?sent=N            promises 100000 bytes, sends N, then closes cleanly
  /limited?key=K&fail=N&after=S&date=1
                              the first N hits on K get 429 + Retry-After S (an
                              HTTP-date when date=1), later hits 200 "hit <n>"
  /big?bytes=N                200, N bytes, chunked, in 64 KiB chunks
  /redirect?to=URL&code=N     status N (302) with Location URL (raw, may be relative)
  /loop                       302 to itself
  /api?key=K&fail=N           MediaWiki's maxlag error (200, MediaWiki-API-Error: maxlag,
                              Retry-After: 1, X-Database-Lag: 7) for the first N hits on K,
                              then 200 JSON echoing the query and form body
  /setcookie?name=X&value=Y   200 with Set-Cookie X=Y; Path=/
  /echo                       200 text/plain: method, cookie, user-agent, body
  /hits?key=K                 200 text/plain: how many requests /limited or /count saw for K
  /count?key=K&code=N         counts the hit under K, answers status N (200)
"""
import asyncio
import email.utils
import os
import signal
import socket
import struct
import sys
import time
import urllib.parse

HITS = {}
CORPUS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "corpus")


def respond(writer, code, body=b"", headers=None, reason="X"):
    head = [f"HTTP/1.1 {code} {reason}"]
    hdrs = {"Content-Type": "text/html; charset=utf-8", "Content-Length": str(len(body))}
    hdrs.update(headers or {})
    for k, v in hdrs.items():
        head.append(f"{k}: {v}")
    writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)


def page(size):
    if size is None:
        return b"<!DOCTYPE html><html><head><title>ok</title></head><body><p>ok</p></body></html>"
    base = b"<!DOCTYPE html><html><body>"
    tail = b"</body></html>"
    fill = max(0, size - len(base) - len(tail))
    return base + (b"<p>lorem ipsum</p>" * (fill // 18 + 1))[:fill] + tail


async def handle(reader, writer):
    try:
        while True:
            line = await reader.readline()
            if not line:
                return
            method, target, _ = line.decode("latin-1").split(" ", 2)
            headers = {}
            while True:
                h = await reader.readline()
                if h in (b"\r\n", b"\n", b""):
                    break
                k, _, v = h.decode("latin-1").partition(":")
                headers[k.strip().lower()] = v.strip()
            body = b""
            if "content-length" in headers:
                body = await reader.readexactly(int(headers["content-length"]))
            url = urllib.parse.urlsplit(target)
            q = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
            path = url.path
            if path == "/ok":
                respond(writer, 200, page(int(q["size"]) if "size" in q else None))
            elif path == "/corpus":
                name = os.path.basename(q.get("name", ""))
                with open(os.path.join(CORPUS, name + ".body"), "rb") as f:
                    respond(writer, int(q.get("code", "200")), f.read())
            elif path == "/status":
                code = int(q.get("code", "500"))
                respond(writer, code, f"<html><body>status {code}</body></html>".encode())
            elif path == "/reset":
                sock = writer.get_extra_info("socket")
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                writer.transport.abort()
                return
            elif path in ("/stall", "/truncate"):
                sent = int(q.get("sent", "10"))
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n"
                             + b"x" * sent)
                await writer.drain()
                if path == "/truncate":
                    writer.close()
                    return
                await reader.read()  # until the client gives up
                return
            elif path == "/limited":
                key = q.get("key", "")
                HITS[key] = HITS.get(key, 0) + 1
                if HITS[key] <= int(q.get("fail", "1")):
                    after = int(q.get("after", "1"))
                    value = (email.utils.formatdate(time.time() + after, usegmt=True)
                             if q.get("date") == "1" else str(after))
                    respond(writer, 429, b"<html><body>slow down</body></html>", {"Retry-After": value})
                else:
                    respond(writer, 200, f"<html><body>hit {HITS[key]}</body></html>".encode())
            elif path == "/count":
                key = q.get("key", "")
                HITS[key] = HITS.get(key, 0) + 1
                respond(writer, int(q.get("code", "200")), f"<html><body>hit {HITS[key]}</body></html>".encode())
            elif path == "/hits":
                respond(writer, 200, str(HITS.get(q.get("key", ""), 0)).encode(), {"Content-Type": "text/plain"})
            elif path == "/big":
                n = int(q.get("bytes", "1000000"))
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n")
                chunk = b"y" * 65536
                while n > 0:
                    part = chunk[: min(n, len(chunk))]
                    writer.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")
                    n -= len(part)
                    await writer.drain()
                writer.write(b"0\r\n\r\n")
            elif path == "/redirect":
                respond(writer, int(q.get("code", "302")), b"<html><body>moved</body></html>",
                        {"Location": q.get("to", "/ok")})
            elif path == "/api":
                key = q.get("key", "")
                HITS[key] = HITS.get(key, 0) + 1
                if HITS[key] <= int(q.get("fail", "1")):
                    respond(writer, 200, b'{"error":{"code":"maxlag","info":"Waiting for db: 7 seconds lagged."}}',
                            {"Content-Type": "application/json", "MediaWiki-API-Error": "maxlag",
                             "Retry-After": "1", "X-Database-Lag": "7"})
                else:
                    text = f'{{"query":"{url.query}","form":"{body.decode()}","hit":{HITS[key]}}}'
                    respond(writer, 200, text.encode(), {"Content-Type": "application/json"})
            elif path == "/loop":
                respond(writer, 302, b"<html><body>again</body></html>", {"Location": "/loop"})
            elif path == "/setcookie":
                respond(writer, 200, b"<html><body>cookie set</body></html>",
                        {"Set-Cookie": f"{q.get('name', 'c')}={q.get('value', 'v')}; Path=/"})
            elif path == "/echo":
                text = (f"method={method}\ncookie={headers.get('cookie', '')}\n"
                        f"user-agent={headers.get('user-agent', '')}\n"
                        f"content-type={headers.get('content-type', '')}\n").encode() + b"body=" + body + b"\n"
                respond(writer, 200, text, {"Content-Type": "text/plain"})
            else:
                respond(writer, 404, b"<html><body>no such route</body></html>")
            await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError, ValueError):
        return
    finally:
        try:
            writer.close()
        except Exception:
            pass


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    sys.stdout.write(f"PORT {port}\n")
    sys.stdout.flush()
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    loop.add_signal_handler(signal.SIGTERM, lambda: done.done() or done.set_result(None))

    def stdin_closed():
        if not os.read(sys.stdin.fileno(), 4096) and not done.done():
            done.set_result(None)

    loop.add_reader(sys.stdin.fileno(), stdin_closed)
    await done
    server.close()
    # Exit at once: handlers still parked in a stall would otherwise be
    # cancelled by asyncio.run and print tracebacks into the test output.
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    asyncio.run(main())
