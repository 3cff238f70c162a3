#!/usr/bin/env python3
"""Reads the beta farm edge's access log (format `edge` in edge.sh) and prints,
per host: requests, status counts, protocols, connections used, and the most
requests in flight at once (per host, and on one connection = HTTP/2 streams).
A request is in flight from msec - request_time to msec (millisecond log times),
less the last SLACK_S: nginx logs a request when it finalizes it, which can be
an event-loop round after the client already had the last byte and started its
next request on that host, so the two touch for a millisecond or two at the
edge though never at the client. A real excess (a fifth request while four are
in flight) overlaps for a whole request, hundreds of milliseconds here.
  edge_streams.py ACCESS_LOG [--since EPOCH_SECONDS] [--json]"""
import json
import sys
from collections import Counter, defaultdict


SLACK_S = 0.005


def peak(intervals):
    events = []
    for start, end in intervals:
        events.append((start, 1))
        events.append((max(start, end - SLACK_S), -1))
    # An end and a start at the same millisecond do not overlap.
    events.sort(key=lambda e: (e[0], e[1]))
    cur = best = 0
    for _, d in events:
        cur += d
        best = max(best, cur)
    return best


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    path, since, as_json = args[0], 0.0, "--json" in args
    if "--since" in args:
        since = float(args[args.index("--since") + 1])
    hosts = defaultdict(lambda: {"requests": 0, "status": Counter(), "protocol": Counter(),
                                 "intervals": [], "conns": defaultdict(list)})
    total = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            parts = line.split(" ", 9)
            if len(parts) < 9:
                continue
            end, rt, host, conn, _, proto, status = float(parts[0]), float(parts[1]), parts[2], parts[3], parts[4], parts[5], parts[6]
            if end < since:
                continue
            start = end - rt
            h = hosts[host]
            h["requests"] += 1
            h["status"][status] += 1
            h["protocol"][proto] += 1
            h["intervals"].append((start, end))
            h["conns"][conn].append((start, end))
            total.append((start, end))
    out = {"hosts": {}, "peak_in_flight_all_hosts": peak(total)}
    for host, h in sorted(hosts.items()):
        out["hosts"][host] = {
            "requests": h["requests"],
            "status": dict(h["status"]),
            "protocol": dict(h["protocol"]),
            "connections": len(h["conns"]),
            "peak_in_flight": peak(h["intervals"]),
            "peak_streams_on_one_connection": max(peak(v) for v in h["conns"].values()),
        }
    if as_json:
        print(json.dumps(out, indent=1, sort_keys=True))
        return
    for host, h in out["hosts"].items():
        print(f"{host:32} {h['requests']:5} req  {h['connections']:3} conn  peak in flight {h['peak_in_flight']:3}"
              f"  peak streams/conn {h['peak_streams_on_one_connection']:3}  "
              f"{' '.join(f'{k}:{v}' for k, v in sorted(h['status'].items()))}  "
              f"{' '.join(sorted(h['protocol']))}")
    print(f"peak in flight over all hosts: {out['peak_in_flight_all_hosts']}")


if __name__ == "__main__":
    main()
