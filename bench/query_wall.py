#!/usr/bin/env python3
"""Process wall time of `gongwen search` over bench/queries.txt on an existing index.

    python3 bench/query_wall.py BIN INDEX_DIR [search options, e.g. --count]

Each query runs as its own process 3 times; the median per query is kept and
the median, p95 and max over the queries are printed (milliseconds). Used for
the ×100 figures in BENCHMARKS.md, where building the copy is done by hand:
laws copied 100× under one folder, `gongwen --index INDEX_DIR index FOLDER`.
"""
import statistics
import subprocess
import sys
import time
from pathlib import Path


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    gw, idx, extra = sys.argv[1], sys.argv[2], sys.argv[3:]
    qfile = Path(__file__).with_name("queries.txt")
    qs = [l.strip() for l in qfile.read_text(encoding="utf-8").splitlines() if l.strip() and not l.startswith("#")]
    med = []
    for q in qs:
        ts = []
        for _ in range(3):
            t = time.perf_counter()
            r = subprocess.run([gw, "--index", idx, "search", *extra, "--", q], capture_output=True)
            ts.append((time.perf_counter() - t) * 1000)
            if r.returncode not in (0, 1):
                print(f"query {q!r} failed: {r.stderr.decode(errors='replace')}", file=sys.stderr)
                return 1
        med.append(statistics.median(ts))
    med.sort()
    p95 = med[int(0.95 * (len(med) - 1))]
    print(f"{gw} {' '.join(extra)}: n={len(med)} median {statistics.median(med):.1f} ms p95 {p95:.1f} ms max {med[-1]:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
