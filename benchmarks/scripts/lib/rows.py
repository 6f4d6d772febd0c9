"""The raw rows of fanout-compare.sh and tls-compare.sh (one run a line of key=value words), read back for
their tables: the rows, a figure of a row, and the median and range of figures, missing ones (nan) left out."""
import statistics


def read(path):
    """Each line of the file as a dict of its key=value words (split at the first '=')."""
    with open(path) as raw:
        return [dict(w.split("=", 1) for w in line.split() if "=" in w) for line in raw]


def num(row, key):
    """The row's value of key as a float; nan if missing or not a number."""
    try:
        return float(row.get(key, "nan"))
    except ValueError:
        return float("nan")


def med(values):
    """The median of the values that are numbers; nan if none is."""
    values = [v for v in values if v == v]
    return statistics.median(values) if values else float("nan")


def rng(values, fmt):
    """'min-max' of the values that are numbers, each written with fmt; '-' if none is."""
    values = [v for v in values if v == v]
    return f"{fmt(min(values))}-{fmt(max(values))}" if values else "-"
