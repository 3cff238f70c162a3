#!/usr/bin/env python3
"""Writes a targets file of WIKIS wikis x 200 cartesian RecentChanges
combinations (5 limits x 5 days x 2 enhanced x 4 ORES damaging values), every
wiki on the bench nginx (BASE, e.g. http://127.0.0.1:8450) at /x/N: a
200,000-probe targets plan for issue 16's memory target (peak RSS of
`crawler run FILE --results DIR --format json`; no discovery, no accounts,
no pre-flight, no confirmation: the run only crawls).

Usage: bench/targets_big.py BASE [WIKIS=1000] > targets-big.toml
"""
import sys


def main():
    base = sys.argv[1]
    wikis = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    out = ['[crawl]', 'user_agent = "beta-crawler-bench/0.1 (memory; qa@example.org)"', 'concurrency = 32',
           'per_host_concurrency = 32', 'confirm_after_ms = 0', 'max_probes = 1000000', '']
    for i in range(1, wikis + 1):
        out += ['[[wiki]]', f'dbname = "w{i}wiki"', f'url = "{base}"', f'script_path = "/x/{i}"', '']
    out += ['[page.recentchanges]', 'strategy = "cartesian"', 'expect_filter_groups = ["damaging", "goodfaith"]', '',
            '[page.recentchanges.axes]', 'limit = ["50", "100", "250", "500", "1000"]',
            'days = ["1", "3", "7", "14", "30"]', 'enhanced = ["0", "1"]', '',
            '[page.recentchanges.ores]', 'damaging = ["", "likelygood", "maybebad", "likelybad;verylikelybad"]', '']
    sys.stdout.write('\n'.join(out))


if __name__ == '__main__':
    main()
