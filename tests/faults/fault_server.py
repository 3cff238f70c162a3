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
  /big-json?n=N               200 application/json of 16,000,000 bytes (valid JSON), sent in
                              64 KiB pieces (run_faults.py memory: 128 of them at once)

The fault-injection suite (tests/faults/run_faults.py, engine_fd_test.cc) adds:

  /f/NAME/index.php?...       behaviour NAME of tests/faults/catalogue.py (a [[wiki]]
                              with script_path "/f/NAME"); every request is counted
                              under "PORT|PATH|QUERY" (QUERY without maxlag)
  /f/exception-once/index.php?...
                              not in the catalogue: the exception page on the first
                              request of a URL, the ok page after (a flaky failure)
  /f/NAME/api.php, /mix/api.php
                              a fake MediaWiki login API (meta=tokens&type=login,
                              action=clientlogin, meta=userinfo): user CrawlerQA,
                              password PASSWORD below, session cookie fwiki_session.
                              Pages that need a login serve the anonymous view
                              without that session.
  /mix/index.php?k=K&n=N      behaviour catalogue.mix_table()[N * MIX_BASE + K]
  /f/echo-500/index.php, /f/echo-200/index.php, /f/echo-login/api.php
                              a wiki that leaks secrets (tests/faults/run_trust.py echo): a
                              500 exception page and a 200 page with a PHP warning, each
                              quoting the request's Cookie header, the session id, and the
                              session's clientlogin form (password, login token); a login
                              that fails with a message quoting the password, token and cookie
  /f/NAME/api.php?action=sitematrix
                              a hostile SiteMatrix (hostile_sitematrix below)
  /secretsjson                JSON: every session id and login token handed out so far, and
                              every Authorization header a /f/ or /mix/ request carried
  /f/slow-sm/api.php, /f/slow-login/api.php
                              SiteMatrix (the hostile one) / clientlogin answered after 20 s
  /f/redirect-userinfo/index.php
                              302 to the same origin with a user name (http://evil@...)
  /mixtable                   JSON: that table with each behaviour's expected verdict and
                              retries ("now": today's verdict where a known bug differs)
  /hitsjson                   JSON: every counter
  /stats                      JSON: {"max_inflight": {PORT: n, "total": n}}: the most page
                              requests (/f/, /mix/ index.php) answered at once
  /otherlog                   JSON: every request the "other host" received
                              (method, path, cookie, authorization, whether the body
                              held PASSWORD); it answers a login token request like
                              MediaWiki, so a crawler that logs in there POSTs the password

With --extra it also opens, and reports on a second stdout line
  EXTRA {"main2": P, "other": P, "silent": P, "refused": P}
a second main port (same routes), the "other host" (any path: 200, and the
request is logged), a socket that listens but never accepts, and a bound port
that never listens (connection refused).
"""
import asyncio
import email.utils
import json
import os
import random
import signal
import socket
import struct
import sys
import time
import urllib.parse
import zlib

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import catalogue  # noqa: E402

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


# --- fault-injection suite (tests/faults) -------------------------------------
PASSWORD = "fault-suite-password"  # the fake wiki's password for CrawlerQA (a test secret)
USER = "CrawlerQA"                 # the user the recorded logged-in pages show
SESSION_COOKIE = "fwiki_session"
SESSIONS = {}                      # session id -> "token:<t>" (before login) or "user"
FORMS = {}                         # session id -> its clientlogin form body (echoed by echo-*)
TOKENS = []                        # every login token handed out (/secretsjson)
BIG_JSON = None                    # /big-json's body, made at its first request
AUTHORIZATIONS = []                # Authorization headers /f/ and /mix/ requests carried (/secretsjson)
OTHER_LOG = []                     # requests the "other host" received
EXTRA_PORTS = {}                   # "other" -> port, ... (with --extra)
INFLIGHT = {}                      # port -> /f/ and /mix/ page requests being answered now
MAX_INFLIGHT = {}                  # str(port) and "total" -> the most at once
MIX_TABLE = catalogue.mix_table()
LIST_START = b'<div class="mw-changeslist" aria-live="polite">'


def corpus(name):
    with open(os.path.join(CORPUS, name + ".body"), "rb") as f:
        return f.read()


def derive_pages():
    """Pages served by the behaviours, for the logged-in view (True) and the
    anonymous one (False)."""
    pages = {}
    bad = (b'<li class="mw-changeslist-line">bad bytes: \xff\xfe \xc3\x28 \xed\xa0\x80 '
           b'\xf8\x88\x80\x80\x80 \xe2\x82 end</li>\n')
    for logged_in, name in ((True, "en-rc-enhanced1"), (False, "en-rc-anon")):
        ok = corpus(name)
        cut = ok.index(LIST_START) + len(LIST_START)
        pages[logged_in] = {
            "ok": ok,
            "list_at": cut,
            "bad-utf8": ok[:cut] + bad * 3 + ok[cut:-4000] + bad + ok[-4000:],
        }
    exc = corpus("en-rc-exception-details")
    marker = b"ORES threshold lookup returned null"
    assert marker in exc
    pages["exception"] = corpus("en-rc-exception")
    pages["bad-utf8-exception"] = exc.replace(marker, b"ORES threshold \xff\xfe lookup \xc3\x28 r\xc3\xa9sultat \xe2\x80\x94 null", 1)
    pages["edge"] = corpus("handmade-edge-503")
    pages["garbage"] = random.Random(7).randbytes(65536)
    return pages


PAGES = None  # derive_pages(), on first use (the engine tests never need it)
# FAULT_SERVER_LOG=FILE: one line per /f/ and /mix/ request (time, client port, key, hit count).
LOG = open(os.environ["FAULT_SERVER_LOG"], "a") if os.environ.get("FAULT_SERVER_LOG") else None


def session_of(headers):
    for part in headers.get("cookie", "").split(";"):
        k, _, v = part.strip().partition("=")
        if k == SESSION_COOKIE:
            return v
    return ""


def logged_in(headers):
    return SESSIONS.get(session_of(headers)) == "user"


def gzip_bomb_parts(decoded_mib):
    """A gzip stream of `decoded_mib` MiB of zeros, ~1 KB per MiB on the wire,
    as (first part, a part repeated decoded_mib - 1 times, trailer builder).
    After a full flush deflate restarts from an empty window, so compressing
    the same MiB again gives the same bytes: the stream is built, not compressed."""
    zeros = bytes(1 << 20)
    c = zlib.compressobj(9, zlib.DEFLATED, 31)
    first = c.compress(zeros) + c.flush(zlib.Z_FULL_FLUSH)
    again = c.compress(zeros) + c.flush(zlib.Z_FULL_FLUSH)
    return first, again, zeros


BOMB = None
BOMB_CRC = None


async def send_slowly(reader, writer, data, interval):
    """Writes `data` one byte per `interval` seconds until the client closes."""
    for i in range(len(data)):
        try:
            got = await asyncio.wait_for(reader.read(1), interval)
            if not got:
                return
        except asyncio.TimeoutError:
            pass
        writer.write(data[i:i + 1])
        await writer.drain()


def reset(writer):
    sock = writer.get_extra_info("socket")
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


async def serve_fault(reader, writer, method, path, query, q, headers, body):
    """Serves /f/NAME/(index|api).php and /mix/(index|api).php. Returns False
    when the connection is finished (closed, reset, or stalled until the
    client gave up), True to keep it alive."""
    global PAGES
    if PAGES is None:
        PAGES = derive_pages()
    port = writer.get_extra_info("sockname")[1]
    clean_query = "&".join(p for p in query.split("&") if not p.startswith("maxlag="))
    key = f"{port}|{path}|{clean_query}"
    HITS[key] = HITS.get(key, 0) + 1
    if LOG:
        LOG.write(f"{time.time():.3f} {writer.get_extra_info('peername')[1]} {method} {key} hit {HITS[key]}\n")
        LOG.flush()
    if headers.get("authorization"):
        AUTHORIZATIONS.append({"path": path, "authorization": headers["authorization"]})
    if path.endswith("/api.php"):
        # slow-sm: SiteMatrix takes 20 s; slow-login: clientlogin takes 20 s
        # (signals during discovery and during the login, run_trust.py signals).
        if (path.startswith("/f/slow-sm/") and q.get("action") == "sitematrix") or \
                (path.startswith("/f/slow-login/") and method == "POST"):
            await asyncio.sleep(20)
        return fake_api(writer, method, q, headers, body, path)
    parts = path.split("/")
    if parts[1] == "mix":
        slot = int(q.get("n", "0")) * catalogue.MIX_BASE + int(q.get("k", "0"))
        name = MIX_TABLE[slot % len(MIX_TABLE)]
    else:
        name = parts[2]
    # Requests being answered right now, per port and in all: the crawler's
    # concurrency limits seen from the server (/stats).
    INFLIGHT[port] = INFLIGHT.get(port, 0) + 1
    MAX_INFLIGHT[str(port)] = max(MAX_INFLIGHT.get(str(port), 0), INFLIGHT[port])
    MAX_INFLIGHT["total"] = max(MAX_INFLIGHT.get("total", 0), sum(INFLIGHT.values()))
    try:
        return await serve_behaviour(reader, writer, name, path, query, headers, key)
    finally:
        INFLIGHT[port] -= 1


async def serve_behaviour(reader, writer, name, path, query, headers, key):
    """Behaviour `name`; the return value as serve_fault's."""
    global BOMB, BOMB_CRC
    view = PAGES[logged_in(headers)]
    ok = view["ok"]
    html = {"Content-Type": "text/html; charset=UTF-8"}
    page_query = "?" + query if query else ""

    if name == "ok":
        respond(writer, 200, ok, html)
    elif name == "redirect-same":
        respond(writer, 302, b"", {"Location": "/f/ok/index.php" + page_query})
    elif name == "redirect-loop":
        respond(writer, 302, b"", {"Location": path + page_query})
    elif name == "redirect-userinfo":  # same origin, but with a user name libcurl would send as Authorization
        respond(writer, 302, b"", {"Location": f"http://evil@127.0.0.1:{writer.get_extra_info('sockname')[1]}"
                                              "/f/ok/index.php" + page_query})
    elif name == "redirect-offhost":
        respond(writer, 302, b"", {"Location": f"http://127.0.0.1:{EXTRA_PORTS.get('other', 9)}/f/ok/index.php"
                                              + page_query})
    elif name == "reset-headers":
        reset(writer)
        return False
    elif name == "close-headers":
        writer.close()
        return False
    elif name == "reset-body":
        writer.write(f"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {len(ok)}\r\n\r\n".encode()
                     + ok[: len(ok) // 2])
        await writer.drain()
        await asyncio.sleep(0.1)  # let the client read the headers, then reset
        reset(writer)
        return False
    elif name == "stall-headers":
        await reader.read()  # until the client gives up
        return False
    elif name == "stall-body":
        writer.write(f"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {len(ok)}\r\n\r\n".encode()
                     + ok[:4096])
        await writer.drain()
        await reader.read()
        return False
    elif name == "slowloris":
        writer.write(f"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {len(ok)}\r\n\r\n".encode())
        await writer.drain()
        await send_slowly(reader, writer, ok, 0.25)
        return False
    elif name == "truncated-chunked":
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n")
        for at in (0, 8192):
            writer.write(b"2000\r\n" + ok[at:at + 8192] + b"\r\n")
        await writer.drain()
        writer.close()
        return False
    elif name == "short-body":
        writer.write(f"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {len(ok) + 5000}\r\n\r\n".encode()
                     + ok)
        await writer.drain()
        writer.close()
        return False
    elif name in ("429-seconds", "429-date", "503-seconds", "503-date", "429-huge", "429-once", "503-date-once"):
        code = int(name[:3])
        if name.endswith("-once") and HITS[key] > 1:
            respond(writer, 200, ok, html)
        else:
            after = ("86400" if name == "429-huge"
                     else email.utils.formatdate(time.time() + 2, usegmt=True) if "date" in name else "1")
            text = (b"<html><head><title>429 Too Many Requests</title></head><body><h1>Too Many Requests</h1>"
                    b"</body></html>" if code == 429 else
                    b"<html><head><title>503 Service Unavailable</title></head><body><h1>Service Unavailable"
                    b"</h1><p>Try again later.</p></body></html>")
            respond(writer, code, text, {"Retry-After": after})
    elif name == "exception-500":
        respond(writer, 500, PAGES["exception"], {**html, "X-Request-Id": "e0f5e007efa0aa70a9e3dea5"})
    elif name == "exception-once":
        # The flaky failure of run_faults.py confidence: the exception page on
        # the first fetch of a URL only (a transient error during a deploy).
        if HITS[key] > 1:
            respond(writer, 200, ok, html)
        else:
            respond(writer, 500, PAGES["exception"], {**html, "X-Request-Id": "f1a4e0f1a4e0f1a4e0f1a4e0"})
    elif name == "bad-utf8-exception":
        respond(writer, 500, PAGES["bad-utf8-exception"], html)
    elif name == "edge-502":
        respond(writer, 502, PAGES["edge"], html)
    elif name == "edge-504":
        respond(writer, 504, b"<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n"
                             b"<center><h1>504 Gateway Time-out</h1></center>\r\n<hr><center>nginx/1.22.1</center>"
                             b"\r\n</body>\r\n</html>\r\n", html)
    elif name == "gzip-bomb":
        if BOMB is None:
            BOMB = gzip_bomb_parts(1024)
        first, again, zeros = BOMB
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n"
                     b"Transfer-Encoding: chunked\r\n\r\n")
        writer.write(f"{len(first):x}\r\n".encode() + first + b"\r\n")
        for _ in range(1023):
            writer.write(f"{len(again):x}\r\n".encode() + again + b"\r\n")
            await writer.drain()
        if BOMB_CRC is None:  # only a client that decodes the whole GiB gets here
            BOMB_CRC = 0
            for _ in range(1024):
                BOMB_CRC = zlib.crc32(zeros, BOMB_CRC)
        tail = b"\x03\x00" + struct.pack("<II", BOMB_CRC, (1024 << 20) & 0xFFFFFFFF)
        writer.write(f"{len(tail):x}\r\n".encode() + tail + b"\r\n0\r\n\r\n")
    elif name in ("huge-100mb", "huge-100mb-read"):
        total = 100 << 20
        head, rest = ok[: view["list_at"]], ok[view["list_at"]:]
        filler = (b'<li class="mw-changeslist-line">filler line of a very long changes list</li>\n' * 900)[:65536]
        writer.write(f"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=UTF-8\r\nContent-Length: {total}"
                     "\r\n\r\n".encode() + head)
        left = total - len(head) - len(rest)
        while left > 0:
            part = filler[: min(left, len(filler))]
            writer.write(part)
            left -= len(part)
            await writer.drain()
        writer.write(rest)
    elif name in ("echo-500", "echo-200"):
        respond(writer, int(name[-3:]), echo_page(name, headers), html)
    elif name == "bad-utf8":
        respond(writer, 200, view["bad-utf8"], html)
    elif name == "garbage":
        respond(writer, 200, PAGES["garbage"], html)
    elif name in ("http10", "http10-cut"):
        data = ok if name == "http10" else ok[: len(ok) // 2]
        writer.write(b"HTTP/1.0 200 OK\r\nContent-Type: text/html; charset=UTF-8\r\nConnection: close\r\n\r\n"
                     + data)
        await writer.drain()
        writer.close()
        return False
    else:
        respond(writer, 404, b"<html><body>no such behaviour</body></html>")
    await writer.drain()
    return True


def echo_dump(headers):
    """What a careless debug page prints: the Cookie header, the session id,
    and the session's login form (password and token, URL-encoded)."""
    sid = session_of(headers)
    return (f"Cookie: {headers.get('cookie', '')}\n"
            f"session {sid} form {FORMS.get(sid, '')}")


def echo_page(name, headers):
    """echo-500: MediaWiki's exception page whose message quotes the dump;
    echo-200: the logged-in page with a PHP warning that quotes it."""
    import html as html_mod
    dump = html_mod.escape(echo_dump(headers)).encode()
    if name == "echo-500":
        marker = b"ORES threshold lookup returned null"
        return corpus("en-rc-exception-details").replace(marker, marker + b"; request dump: " + dump, 1)
    ok = PAGES[True]["ok"]
    at = ok.rindex(b"</body>")
    warning = (b"<br />\n<b>Warning</b>:  Undefined index: debug; request dump: " + dump
               + b" in <b>/srv/mediawiki/includes/Debug.php</b> on line <b>12</b><br />\n")
    return ok[:at] + warning + ok[at:]


def hostile_sitematrix(writer):
    """action=sitematrix naming one wiki on this server's origin and others
    the crawler must not touch: another origin (the "other host", by address
    and by name), a dbname with quotes and markup, URLs with a path, query,
    fragment or user name (the last four on main2, which must see nothing)."""
    main = writer.get_extra_info("sockname")[1]
    other, main2 = EXTRA_PORTS.get("other", 9), EXTRA_PORTS.get("main2", 9)
    site = lambda db, url: {"url": url, "dbname": db, "code": "wiki", "sitename": "Trust"}  # noqa: E731
    return {"sitematrix": {"count": 1, "0": {"code": "en", "name": "English", "site": [
        site("trust_ok", f"http://127.0.0.1:{main}"),
        site("trust_foreign", f"http://127.0.0.1:{other}"),
        site("trust_foreign_name", f"http://localhost:{other}"),
        site('Bad Name"<x>', f"http://127.0.0.1:{main2}"),
        # Terminal escapes (retitle, clear, colour) and a bidi override: printed as \xHH / \u{...}.
        site("evil\x1b]0;pwned\x07\x1b[2J\x1b[31m\u202ered", f"http://127.0.0.1:{main2}"),
        site("trust_path", f"http://127.0.0.1:{main2}/x"),
        site("trust_query", f"http://127.0.0.1:{main2}?x=1#frag"),
        site("trust_userinfo", f"http://evil@127.0.0.1:{main2}"),
    ]}}}


def fake_api(writer, method, q, headers, body, path=""):
    """Just enough of MediaWiki's api.php for the crawler's clientlogin."""
    if method == "POST":
        q = {**q, **dict(urllib.parse.parse_qsl(body.decode("latin-1"), keep_blank_values=True))}
    sid = session_of(headers)
    out_headers = {"Content-Type": "application/json; charset=utf-8"}
    if q.get("action") == "sitematrix":
        respond(writer, 200, json.dumps(hostile_sitematrix(writer)).encode(), out_headers)
        return True
    if q.get("meta") == "tokens":
        sid = f"s{random.getrandbits(64):016x}"
        token = f"{random.getrandbits(64):016x}+\\"
        SESSIONS[sid] = "token:" + token
        TOKENS.append(token)
        out_headers["Set-Cookie"] = f"{SESSION_COOKIE}={sid}; path=/; HttpOnly"
        answer = {"batchcomplete": "", "query": {"tokens": {"logintoken": token}}}
    elif q.get("action") == "clientlogin":
        FORMS[sid] = body.decode("latin-1")
        if path.startswith("/f/echo-login/"):  # a login error quoting what it was sent
            answer = {"clientlogin": {"status": "FAIL", "messagecode": "wrongpassword", "message":
                      f"Incorrect password \"{q.get('password', '')}\" for {q.get('username', '')} "
                      f"(token {q.get('logintoken', '')}; {echo_dump(headers)})"}}
            respond(writer, 200, json.dumps(answer).encode(), out_headers)
            return True
        good = (SESSIONS.get(sid) == "token:" + q.get("logintoken", "") and q.get("username") == USER
                and q.get("password") == PASSWORD)
        if good:
            SESSIONS[sid] = "user"
            answer = {"clientlogin": {"status": "PASS", "username": USER}}
        else:
            answer = {"clientlogin": {"status": "FAIL", "message": "Incorrect username or password entered.",
                                      "messagecode": "wrongpassword"}}
    elif q.get("meta") == "userinfo":
        answer = ({"query": {"userinfo": {"id": 3, "name": USER}}} if SESSIONS.get(sid) == "user"
                  else {"query": {"userinfo": {"id": 0, "name": "127.0.0.1", "anon": ""}}})
    else:
        answer = {"error": {"code": "badvalue", "info": "not faked here"}}
    respond(writer, 200, json.dumps(answer).encode(), out_headers)
    return True


async def read_request(reader):
    """One HTTP/1.1 request: (method, target, headers with lower-cased names,
    body), or None when the client closed the connection."""
    line = await reader.readline()
    if not line:
        return None
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
    return method, target, headers, body


async def handle_other(reader, writer):
    """The "other host": logs every request (with its Cookie and Authorization
    headers), answers 200."""
    try:
        while True:
            request = await read_request(reader)
            if request is None:
                return
            method, target, headers, body = request
            OTHER_LOG.append({"method": method, "path": target, "cookie": headers.get("cookie", ""),
                              "authorization": headers.get("authorization", ""),
                              "password": PASSWORD.encode() in body})
            if "api.php" in target and "meta=tokens" in target:  # lure a login: a token, as MediaWiki would
                respond(writer, 200, b'{"query":{"tokens":{"logintoken":"0123456789abcdef+\\\\"}}}',
                        {"Content-Type": "application/json"})
            else:
                respond(writer, 200, b"<html><body>other host</body></html>")
            await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError, ValueError):
        return
    finally:
        try:
            writer.close()
        except Exception:
            pass


async def handle(reader, writer):
    try:
        while True:
            request = await read_request(reader)
            if request is None:
                return
            method, target, headers, body = request
            url = urllib.parse.urlsplit(target)
            q = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
            path = url.path
            if path.startswith("/f/") or path.startswith("/mix/"):
                if not await serve_fault(reader, writer, method, path, url.query, q, headers, body):
                    return
            elif path == "/mixtable":
                # "now": what the crawler gives today (differs from "verdict" for known bugs).
                table = [{"name": n, "verdict": catalogue.BEHAVIOURS[n]["verdict"],
                          "now": catalogue.BEHAVIOURS[n]["now"].get("verdict", catalogue.BEHAVIOURS[n]["verdict"]),
                          "retries": catalogue.BEHAVIOURS[n]["retries"]} for n in MIX_TABLE]
                respond(writer, 200, json.dumps(table).encode(), {"Content-Type": "application/json"})
            elif path == "/stats":
                respond(writer, 200, json.dumps({"max_inflight": MAX_INFLIGHT}).encode(),
                        {"Content-Type": "application/json"})
            elif path == "/secretsjson":
                respond(writer, 200, json.dumps({"sessions": list(SESSIONS), "tokens": TOKENS,
                                                       "authorizations": AUTHORIZATIONS}).encode(),
                        {"Content-Type": "application/json"})
            elif path == "/hitsjson":
                respond(writer, 200, json.dumps(HITS).encode(), {"Content-Type": "application/json"})
            elif path == "/otherlog":
                respond(writer, 200, json.dumps(OTHER_LOG).encode(), {"Content-Type": "application/json"})
            elif path == "/ok":
                respond(writer, 200, page(int(q["size"]) if "size" in q else None))
            elif path == "/big-json":
                # The memory-budget test (run_faults.py memory): a 16,000,000-byte api.php
                # answer (valid JSON), one shared copy, written in 64 KiB pieces so that
                # 128 of them at once cost the server no more memory than one.
                global BIG_JSON
                if BIG_JSON is None:
                    filler = "x" * (16_000_000 - len('{"batchcomplete":"","query":{"filler":""}}'))
                    BIG_JSON = ('{"batchcomplete":"","query":{"filler":"' + filler + '"}}').encode()
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\n"
                             + f"Content-Length: {len(BIG_JSON)}\r\n\r\n".encode())
                view = memoryview(BIG_JSON)
                for at in range(0, len(view), 1 << 16):
                    writer.write(view[at:at + (1 << 16)])
                    await writer.drain()
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
    held = []  # sockets that must stay open (never accepted / never listening)
    if "--extra" in sys.argv[1:]:
        main2 = await asyncio.start_server(handle, "127.0.0.1", 0)
        other = await asyncio.start_server(handle_other, "127.0.0.1", 0)
        silent = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        silent.bind(("127.0.0.1", 0))
        silent.listen(512)  # the kernel completes handshakes into the backlog; accept() is never called
        refused = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        refused.bind(("127.0.0.1", 0))  # bound (nobody else can take it), never listening: RST to a SYN
        held += [main2, other, silent, refused]
        EXTRA_PORTS.update(main2=main2.sockets[0].getsockname()[1], other=other.sockets[0].getsockname()[1],
                           silent=silent.getsockname()[1], refused=refused.getsockname()[1])
        sys.stdout.write("EXTRA " + json.dumps(EXTRA_PORTS) + "\n")
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
