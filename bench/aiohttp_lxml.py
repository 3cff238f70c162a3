#!/usr/bin/python3
"""The peer a Python engineer would write in an afternoon: aiohttp fetches every
URL (32 at a time over one keep-alive pool), lxml parses each page, and a few
XPath checks decide whether the page is broken.

    aiohttp_lxml.py URLS_FILE FLAGGED_OUT [CONCURRENCY]

Writes the flagged URLs (one per line) to FLAGGED_OUT and prints
"pages N flagged M" on stdout. Run it with Debian's /usr/bin/python3
(python3-aiohttp, python3-lxml).
"""
import asyncio
import sys

import aiohttp
import lxml.html

ERROR_BOX = ('//div[contains(@class, "mw-message-box-error") or contains(@class, "errorbox")]')
CHANGES_LIST = '//*[contains(@class, "mw-changeslist")]'
FATAL_TEXT = (b"Fatal exception of type", b"A database query error has occurred",
              b"Fatal error</b>:", b"Internal error")


def is_broken(status, body):
    """True when the page is not a rendered RecentChanges page."""
    if status != 200 or not body:
        return True
    if any(marker in body for marker in FATAL_TEXT):
        return True
    doc = lxml.html.document_fromstring(body)
    if doc.xpath(ERROR_BOX):
        return True
    return not doc.xpath(CHANGES_LIST)


async def check(session, limit, url):
    async with limit:
        try:
            async with session.get(url) as response:
                body = await response.read()
                status = response.status
        except aiohttp.ClientError:
            return url, True
    # Parsing runs on the event loop thread, as it would in the afternoon version.
    return url, is_broken(status, body)


async def main(urls_file, flagged_out, concurrency):
    with open(urls_file) as f:
        urls = [line.strip() for line in f if line.strip() and not line.startswith("#")]
    limit = asyncio.Semaphore(concurrency)
    connector = aiohttp.TCPConnector(limit=concurrency)
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        results = await asyncio.gather(*(check(session, limit, u) for u in urls))
    flagged = [url for url, broken in results if broken]
    with open(flagged_out, "w") as f:
        f.writelines(u + "\n" for u in flagged)
    print(f"pages {len(results)} flagged {len(flagged)}")


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) == 4 else 32))
