#!/usr/bin/env python3
"""Paired-round ratios of a candidate against references, from the shared harness's raw.txt files.

  paired.py --cand NAME --ref NAME [--ref NAME ...] RAW [RAW ...]

NAME is a row's server= (run-anchors.sh) or role= (compare.sh: ref, cand). For each scenario and
reference, every round's candidate figure is divided by the same round's reference figure, so a machine
that changes speed between rounds hits both sides of each ratio alike; the table gives the median of
those ratios and their range. Rows with keep=0 (runs the harness retried because other work used the
CPUs) are left out. Prints one Markdown table.
"""
import argparse
from collections import defaultdict

from rows import med, num, read, rng

SCEN = ["A", "B", "C", "D", "Bu", "L", "L1"]


def kept_rows(paths):
    for path in paths:
        for row in read(path):
            if "scen" in row and row.get("keep", "1") != "0" and row.get("rc", "0") == "0":
                yield row


def us_per_msg(row):
    return num(row, "server_cpu") * 1e6 / max(num(row, "msgs_per_s"), 1)


def med_range(vals, fmt="%.2f"):
    if not vals:
        return "-"
    text = fmt % med(vals)
    return text if len(vals) == 1 else "%s [%s]" % (text, rng(vals, lambda v: fmt % v))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cand", required=True)
    parser.add_argument("--ref", action="append", required=True)
    parser.add_argument("raw", nargs="+")
    args = parser.parse_args()
    by = defaultdict(dict)  # (name, scen) -> round -> row (the last kept attempt)
    for row in kept_rows(args.raw):
        for name in (row.get("server"), row.get("role")):
            if name:
                by[(name, row["scen"])][row.get("round", "1")] = row
    scens = sorted({sc for (_, sc) in by}, key=lambda s: SCEN.index(s) if s in SCEN else 99)
    print("| scen | reference | rounds | candidate msgs/s | reference msgs/s | msgs/s ratio | "
          "candidate µs/msg | reference µs/msg | µs/msg ratio |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for sc in scens:
        cand = by.get((args.cand, sc), {})
        for ref_name in args.ref:
            ref = by.get((ref_name, sc), {})
            rounds = sorted(set(cand) & set(ref), key=int)
            if not rounds:
                continue
            c, r = [cand[n] for n in rounds], [ref[n] for n in rounds]
            speed = [num(a, "msgs_per_s") / num(b, "msgs_per_s") for a, b in zip(c, r) if num(b, "msgs_per_s")]
            cost = [us_per_msg(a) / us_per_msg(b) for a, b in zip(c, r) if us_per_msg(b)]
            print("| %s | %s | %d | %s | %s | %s | %s | %s | %s |" % (
                sc, r[0].get("server", ref_name), len(rounds),
                med_range([num(a, "msgs_per_s") / 1000 for a in c], "%.0fk"),
                med_range([num(b, "msgs_per_s") / 1000 for b in r], "%.0fk"),
                med_range(speed), med_range([us_per_msg(a) for a in c], "%.3f"),
                med_range([us_per_msg(b) for b in r], "%.3f"), med_range(cost)))
    print("\nmedian [min-max] over rounds; each ratio is candidate / reference of the same round: msgs/s ratio"
          " > 1 = candidate faster, µs/msg ratio < 1 = candidate spends less server CPU per message.")


if __name__ == "__main__":
    main()
