#!/usr/bin/env python3
"""Records the classifier corpus from real MediaWiki 1.39 wikis on loopback.

Each page is stored as NAME.body (the raw response body, byte for byte apart
from redacted tokens) and NAME.meta.json (status, kept headers, final URL, page
kind, expectations, the expected verdict and why). index.json lists them all.

The expected verdict is decided here, from what the page IS (we made the wiki
throw, warn, fail a query...), never from what the classifier says.

Usage (a throwaway wiki pair, see README.md "Recording"):
  record.py --out tests/corpus --password-file qa.password \
      --wiki en=http://127.0.0.1:8199=/tmp/bcwiki/en \
      --wiki fr=http://127.0.0.1:8198=/tmp/bcwiki/fr
The third part of --wiki is the directory whose `fault` / `details` files the
throwaway LocalSettings.php reads (README.md shows the snippet).

Loopback only: refuses any URL whose host is not 127.0.0.0/8 or ::1.
Secrets: Set-Cookie values are never stored; edit/watch/login/CSRF tokens are
replaced by REDACTED in bodies; the password is only sent to the wiki.
"""
import argparse
import http.cookiejar
import ipaddress
import json
import os
import re
import subprocess
import sys
import urllib.parse
import urllib.request

FARM_FAULT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "farm", "fault")
KEEP_HEADERS = {"content-type", "location", "x-request-id", "mediawiki-api-error",
                "retry-after", "content-length"}
TOKEN_RES = [
    (re.compile(rb'([A-Za-z]*[Tt]oken"?\s*[:=]\s*")[^"]{8,}(")'), rb"\1REDACTED\2"),
    (re.compile(rb'(name="(?:wp\w*Token|token|logintoken)"[^>]*value=")[^"]*(")'), rb"\1REDACTED\2"),
    (re.compile(rb'(value=")[^"]*(" name="(?:wp\w*Token|token|logintoken)")'), rb"\1REDACTED\2"),
    (re.compile(rb"[0-9a-f]{32,40}\+\\\\(?:\\\\)?"), b"REDACTED"),
    (re.compile(rb"(wltoken=)[0-9a-f]+"), rb"\1REDACTED"),
]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def check_loopback(url):
    host = urllib.parse.urlsplit(url).hostname
    if not ipaddress.ip_address(host).is_loopback:
        sys.exit(f"refusing non-loopback URL {url}")


class Wiki:
    def __init__(self, lang, base, faultdir):
        check_loopback(base)
        self.lang, self.base, self.faultdir = lang, base, faultdir
        self.jar = http.cookiejar.CookieJar()
        self.follow = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.nofollow = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar),
                                                    NoRedirect)

    def fault(self, mode, details=False):
        if self.faultdir.startswith("farm:"):
            # tests/farm: switch through its own script; modes are named there.
            farm_mode = {"exception": "null-threshold"}.get(mode, mode)
            subprocess.run([FARM_FAULT, self.faultdir[5:], farm_mode], check=True)
            return
        with open(os.path.join(self.faultdir, "fault"), "w") as f:
            f.write(mode)
        d = os.path.join(self.faultdir, "details")
        if details:
            open(d, "w").close()
        elif os.path.exists(d):
            os.remove(d)

    def get(self, path, follow=True, anon=False, data=None):
        url = self.base + path
        check_loopback(url)
        opener = self.follow if follow else self.nofollow
        if anon:
            opener = urllib.request.build_opener() if follow else urllib.request.build_opener(NoRedirect)
        req = urllib.request.Request(url, data=urllib.parse.urlencode(data).encode() if data else None)
        try:
            r = opener.open(req, timeout=60)
        except urllib.error.HTTPError as e:
            r = e
        return r.status if hasattr(r, "status") else r.code, r.headers, r.read(), r.geturl()

    def api(self, **params):
        params["format"] = "json"
        _, _, body, _ = self.get("/api.php", data=params)
        return json.loads(body)

    def login(self, user, password):
        tok = self.api(action="query", meta="tokens", type="login")["query"]["tokens"]["logintoken"]
        r = self.api(action="clientlogin", username=user, password=password, logintoken=tok,
                     loginreturnurl=self.base + "/")
        if r.get("clientlogin", {}).get("status") != "PASS":
            sys.exit(f"{self.lang}: login failed: {r.get('clientlogin', {}).get('messagecode')}")
        wt = self.api(action="query", meta="tokens", type="watch")["query"]["tokens"]["watchtoken"]
        self.api(action="watch", titles="Corpus page 1|Corpus page 2|Corpus page 3", token=wt)


def redact(body):
    for rx, repl in TOKEN_RES:
        body = rx.sub(repl, body)
    return body


def record(out, index, wiki, name, path, kind, expected, why, *, follow=True, anon=False,
           expect_user="CrawlerQA", groups=(), fault="none", details=False, extra=None):
    wiki.fault(fault, details)
    status, headers, body, final = wiki.get(path, follow=follow, anon=anon)
    loc = headers.get("Location", "")
    if not follow and status in (301, 302) and "returnto=" not in loc:
        # A localized wiki first redirects Special:Watchlist to its own name
        # (Spécial:Liste_de_suivi); the login redirect is the next hop.
        path = loc[len(wiki.base):] if loc.startswith(wiki.base) else path
        status, headers, body, final = wiki.get(path, follow=follow, anon=anon)
    wiki.fault("none")
    name = f"{wiki.lang}-{name}"
    kept = [[k, v] for k, v in headers.items() if k.lower() in KEEP_HEADERS]
    meta = {"file": name + ".body", "lang": wiki.lang, "url": wiki.base + path, "final_url": final,
            "status": status, "headers": kept, "kind": kind, "expect_user": expect_user if not anon or expect_user else "",
            "expect_filter_groups": list(groups), "expected": expected, "why": why,
            "recorded_from": "MediaWiki 1.39 (Debian), php -S on loopback"}
    meta.update(extra or {})  # further expectations (expect_ores, expect_ores_rows)
    with open(os.path.join(out, name + ".body"), "wb") as f:
        f.write(redact(body))
    with open(os.path.join(out, name + ".meta.json"), "w") as f:
        json.dump(meta, f, indent=1, ensure_ascii=False)
        f.write("\n")
    index.append({"name": name, "expected": expected})
    print(f"{name:40} {status} {len(body):7} -> {expected}")


def record_farm(R, user, full):
    """tests/farm wikis: the ORES-like fixture's groups and its 2017 failure modes.
    Farm RC pages are ~150-230 KB, so only enwiki gets the full set (corpus size)."""
    ores = ["damaging", "goodfaith"]
    rc = "/index.php?title=Special:RecentChanges&days=30&limit=50"
    wl = "/index.php?title=Special:Watchlist&days=30"
    co = f"/index.php?title=Special:Contributions/{user}"
    R("rc", rc + "&enhanced=0", "recentchanges", "ok", "RC with the ORES groups", groups=ores)
    if full:
        R("rc-enhanced1-damaging", rc + "&enhanced=1&damaging=maybebad", "recentchanges", "ok",
          "grouped RC filtered on damaging=maybebad", groups=ores)
        R("wl", wl, "watchlist", "ok", "watchlist with the ORES groups", groups=ores)
    R("contribs", co, "contributions", "ok", "contributions with the ORES box")
    if full:
        rows = {"expect_ores": True, "expect_ores_rows": True}
        R("contribs-ores-rows", co + "&hidenondamaging=1", "contributions", "ok",
          "hidenondamaging=1: every row passed ORES's filter and carries its score (oresData) and 'r' flag",
          extra=rows)
        R("contribs-unscored", co + "&hidenondamaging=1", "contributions", "broken",
          "ORES keeps its box but no threshold reaches the pager: hidenondamaging ignored, rows without ORES scores",
          fault="unscored", extra=rows)
    R("rc-null-threshold", rc, "recentchanges", "exception", "the 2017 ORES failure: threshold API null",
      fault="exception", groups=ores)
    R("wl-null-threshold", wl, "watchlist", "exception", "the 2017 ORES failure on the watchlist",
      fault="exception", groups=ores)
    R("contribs-null-threshold", co + "&hidenondamaging=1", "contributions", "exception",
      "the 2017 ORES failure on contributions", fault="exception")
    R("rc-silent", rc, "recentchanges", "broken", "ORES catches its error and the groups vanish (the fix's failure mode)",
      fault="silent", groups=ores)
    if full:
        R("rc-warning", rc, "recentchanges", "warning", "the fixture's PHP warning printed into RC", fault="warning",
          groups=ores)
    R("rc-db", rc, "recentchanges", "db-error", "the RC query joins a missing table", fault="db", groups=ores)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--password-file", required=True)
    ap.add_argument("--user", default="CrawlerQA")
    ap.add_argument("--wiki", action="append", required=True, help="LANG=BASEURL=FAULTDIR")
    ap.add_argument("--only", action="append", help="record just these page names (index entries of the others are kept)")
    a = ap.parse_args()
    password = open(a.password_file).read().strip()
    index = []
    if os.path.exists(os.path.join(a.out, "index.json")):
        index = [e for e in json.load(open(os.path.join(a.out, "index.json")))
                 if not any(e["name"].startswith(w.split("=")[0] + "-") for w in a.wiki)
                 or (a.only and not any(e["name"] == w.split("=")[0] + "-" + o for w in a.wiki for o in a.only))]
    std = ["userExpLevel", "authorship"]  # core groups in every 1.39 RC/WL wgStructuredChangeFilters
    for spec in a.wiki:
        lang, base, faultdir = spec.split("=", 2)
        w = Wiki(lang, base, faultdir)
        w.login(a.user, password)
        R = lambda *args, **kw: record(a.out, index, w, *args, **kw)
        if a.only:
            R = (lambda R0: lambda name, *args, **kw: R0(name, *args, **kw) if name in a.only else None)(R)
        if faultdir.startswith("farm:"):
            record_farm(R, a.user, full=lang == "farm-en")
            continue
        rc = "/index.php?title=Special:RecentChanges&days=30&limit=50"
        wl = "/index.php?title=Special:Watchlist&days=30"
        co = f"/index.php?title=Special:Contributions/{a.user}"
        R("rc-enhanced0", rc + "&enhanced=0", "recentchanges", "ok", "logged-in RC, old list", groups=std)
        R("rc-enhanced1", rc + "&enhanced=1", "recentchanges", "ok", "logged-in RC, grouped list", groups=std)
        R("rc-empty", rc + "&namespace=12", "recentchanges", "ok", "RC with no results (mw-changeslist-empty)", groups=std)
        R("rc-missing-group", rc + "&enhanced=0", "recentchanges", "broken",
          "healthy page, but the target expects ORES group 'damaging' which this wiki lacks: the silent-failure case",
          groups=std + ["damaging"])
        R("rc-anon", rc, "recentchanges", "auth", "anonymous RC while a user is expected", anon=True)
        R("wl-enhanced0", wl + "&enhanced=0", "watchlist", "ok", "logged-in watchlist, old list", groups=std)
        R("wl-enhanced1", wl + "&enhanced=1", "watchlist", "ok", "logged-in watchlist, grouped list", groups=std)
        R("wl-empty", wl + "&namespace=12", "watchlist", "ok", "watchlist with no results", groups=std)
        R("wl-anon-302", wl, "watchlist", "auth", "anonymous watchlist: 302 to Special:UserLogin", anon=True, follow=False)
        R("wl-anon-login", wl, "watchlist", "auth", "anonymous watchlist, redirect followed: the login form", anon=True)
        R("contribs", co, "contributions", "ok", "contributions with results")
        R("contribs-empty", co + "&namespace=12", "contributions", "ok", "contributions, no results (nocontribs)")
        R("contribs-anon", co, "contributions", "ok", "anonymous contributions, nothing expected", anon=True, expect_user="")
        R("rc-exception", rc, "recentchanges", "exception", "RuntimeException from a hook, details hidden", fault="exception")
        R("rc-exception-details", rc, "recentchanges", "exception", "RuntimeException, $wgShowExceptionDetails = true",
          fault="exception", details=True)
        R("wl-exception", wl, "watchlist", "exception", "RuntimeException on the watchlist", fault="exception")
        R("contribs-exception", co, "contributions", "exception", "RuntimeException on contributions", fault="exception",
          details=True)
        R("rc-warning", rc, "recentchanges", "warning", "PHP warning printed into an otherwise good page",
          fault="warning", groups=std)
        R("rc-dberror", rc, "recentchanges", "db-error", "DBQueryError, details hidden", fault="db")
        R("rc-dberror-details", rc, "recentchanges", "db-error", "DBQueryError with details", fault="db", details=True)
        R("rc-dbconn", rc, "recentchanges", "db-error",
          "DBConnectionError (database unreachable): MediaWiki's skinless outage page", fault="dbconn")
        R("rc-php-fatal", rc, "recentchanges", "fatal", "PHP fatal (memory exhausted) outside MediaWiki's handler",
          fault="fatal")
        R("api-rc-ok", "/api.php?action=query&list=recentchanges&format=json&rcprop=title|ids", "api", "ok",
          "API list=recentchanges")
        R("api-warnings", "/api.php?action=query&list=recentchanges&format=json&rctype=bogus", "api", "ok",
          "API answers with a warning about a bad value: still a result, not an error")
        R("api-badtimestamp", "/api.php?action=query&list=recentchanges&format=json&rcstart=bogus", "api", "broken",
          "API refuses a parameter value: its own error code")
        R("api-exception", "/api.php?action=query&list=recentchanges&format=json", "api", "exception",
          "API internal_api_error_RuntimeException", fault="exception")
        R("api-dberror", "/api.php?action=query&list=recentchanges&format=json", "api", "db-error",
          "API internal_api_error_DBQueryError", fault="db")
    with open(os.path.join(a.out, "index.json"), "w") as f:
        json.dump(sorted(index, key=lambda e: e["name"]), f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
