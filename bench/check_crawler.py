#!/usr/bin/python3
"""check_crawler.py PAGES_JSONL URLS_FILE

Checks one crawler run of bench/run: exactly one line per URL of the list, the
URLs /x/N with N % 100 == 0 (nginx answers them with the exception page,
HTTP 500) all non-ok, every other URL ok. Prints one JSON object with the
counts; exit 0 when the verdicts are exact, 1 otherwise.
"""
import collections
import json
import sys


def expected_flagged(url):
    return int(url.rsplit("/", 1)[1]) % 100 == 0


def main(pages_path, urls_path):
    with open(urls_path) as f:
        urls = [line.strip() for line in f if line.strip()]
    verdicts = collections.Counter()
    seen = collections.Counter()
    false_pos = missed = 0
    lines = 0
    with open(pages_path) as f:
        for line in f:
            lines += 1
            page = json.loads(line)
            url, verdict = page["url"], page["verdict"]
            seen[url] += 1
            verdicts[verdict] += 1
            flagged = verdict != "ok"
            if flagged and not expected_flagged(url):
                false_pos += 1
            elif not flagged and expected_flagged(url):
                missed += 1
    want = sum(expected_flagged(u) for u in urls)
    result = {
        "urls": len(urls),
        "lines": lines,
        "missing": sum(1 for u in urls if seen[u] == 0),
        "duplicates": sum(n - 1 for n in seen.values() if n > 1),
        "verdicts": dict(verdicts),
        "expected_flagged": want,
        "flagged": sum(n for v, n in verdicts.items() if v != "ok"),
        "false_positives": false_pos,
        "missed": missed,
    }
    result["exact"] = (lines == len(urls) and result["missing"] == 0 and result["duplicates"] == 0
                       and false_pos == 0 and missed == 0)
    print(json.dumps(result, sort_keys=True))
    return 0 if result["exact"] else 1


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
