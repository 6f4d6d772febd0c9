#!/usr/bin/env python3
"""The summary of a tls-storm.sh run: per server and mode the median [range] over rounds of each figure,
then every demo run's handshakes/s and CPU per handshake against s_server's and Netty's of the same
round (paired, so that a machine changing speed between rounds hits both sides alike).

  storm-summary.py STORM_TXT
"""
import re
import sys
from collections import defaultdict

from rows import med, rng

LINE = re.compile(r"^round (\d+) (\S+) (new|reuse): (.*)$")
STALLS = re.compile(r"^round (\d+) (\S+): stalls logged (\d+)$")
FIGURES = [("handshakes/s", "handshakes/s", "%.0f"), ("cpu_us/handshake", "server CPU µs/handshake", "%.0f"),
           ("loop_us/handshake", "loop thread CPU µs/handshake", "%.0f"),
           ("probe_max_ms", "probe worst round trip ms", "%.1f"), ("probe_p99_ms", "probe p99 ms", "%.1f"),
           ("gc_max_ms", "longest GC pause ms", "%.1f")]


def number(text):
    try:
        return float(text)
    except ValueError:
        return float("nan")


def cell(values, fmt):
    values = [v for v in values if v == v]
    if not values:
        return "-"
    return fmt % med(values) + ("" if len(values) == 1 else " [%s]" % rng(values, lambda v: fmt % v))


def main(path):
    runs = defaultdict(dict)  # (server, mode) -> round -> {figure: value}
    stalls = defaultdict(int)
    for line in open(path):
        line = line.strip()
        m = LINE.match(line)
        if m:
            words = m.group(4).split()
            runs[(m.group(2), m.group(3))][int(m.group(1))] = {
                words[i]: number(words[i + 1]) for i in range(0, len(words) - 1, 2)}
            continue
        m = STALLS.match(line)
        if m:
            stalls[m.group(2)] += int(m.group(3))
    rounds = max((r for by_round in runs.values() for r in by_round), default=0)
    print("TLS handshake storm (`openssl s_time`, RSA 2048), median [min-max] over %d rounds\n" % rounds)
    print("| server | mode | " + " | ".join(title for _, title, _ in FIGURES) + " | stalls logged |")
    print("| --- | --- | " + " | ".join("---" for _ in FIGURES) + " | --- |")
    for (server, mode), by_round in runs.items():
        print("| %s | %s | %s | %s |" % (server, mode, " | ".join(
            cell([fig.get(key, float("nan")) for fig in by_round.values()], fmt) for key, _, fmt in FIGURES),
            stalls.get(server, "-") if server.startswith("demo") else "-"))
    print("\n| demo run | mode | against | handshakes/s ratio | CPU/handshake ratio |")
    print("| --- | --- | --- | --- | --- |")
    for (server, mode), by_round in runs.items():
        if not server.startswith("demo"):
            continue
        for reference in ("s_server", "netty"):
            ref = runs.get((reference, mode), {})
            common = sorted(set(by_round) & set(ref))
            if not common:
                continue
            speed = [by_round[r]["handshakes/s"] / ref[r]["handshakes/s"] for r in common]
            cost = [by_round[r]["cpu_us/handshake"] / ref[r]["cpu_us/handshake"] for r in common]
            print("| %s | %s | %s | %s | %s |" % (server, mode, reference, cell(speed, "%.2f"), cell(cost, "%.2f")))
    print("\neach ratio: the demo run / the reference of the same round, then median [min-max];"
          " handshakes/s > 1 = demo faster, CPU/handshake < 1 = demo cheaper.")


if __name__ == "__main__":
    main(sys.argv[1])
