#!/usr/bin/env python3
"""Interleaved full-build timing of gongwen binaries: A/B comparisons on a noisy machine.

    python3 bench/build_ab.py [--runs N] [--corpus DIR] BIN [BIN ...]

Each round builds a fresh index of CORPUS (default ../shared/corpus/laws) once with every
binary, in turn, so that slow minutes of the machine hit all binaries alike; prints per binary
the minimum and median wall time and CPU time (user + sys) over the rounds, from
`/usr/bin/time -f "%e %U %S"`; the disk is synced before each build. A binary may be given with environment settings in front,
e.g. "RAYON_NUM_THREADS=1 /tmp/gw". Python 3 standard library only.
"""
import argparse
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("bins", nargs="+", metavar="BIN")
    ap.add_argument("--runs", type=int, default=5, help="rounds (default 5)")
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--corpus", default=os.path.join(here, "..", "..", "shared", "corpus", "laws"))
    a = ap.parse_args()
    if not os.path.isdir(a.corpus):
        print(f"build_ab: corpus {a.corpus} not found", file=sys.stderr)
        return 1
    if not os.path.exists("/usr/bin/time"):
        print("build_ab: /usr/bin/time missing (apt-get install time)", file=sys.stderr)
        return 1
    times = {b: [] for b in a.bins}
    scratch = tempfile.mkdtemp(prefix="gw_ab_")
    try:
        for r in range(a.runs):
            for b in a.bins:
                words = shlex.split(b)
                env = dict(os.environ)
                while words and "=" in words[0] and not words[0].startswith("/"):
                    k, v = words.pop(0).split("=", 1)
                    env[k] = v
                idx = os.path.join(scratch, "idx")
                shutil.rmtree(idx, ignore_errors=True)
                out = os.path.join(scratch, "time.txt")
                os.sync()  # no build waits behind the writeback of the previous one's index
                cmd = ["/usr/bin/time", "-f", "%e %U %S", "-o", out,
                       *words, "--index", idx, "index", a.corpus]
                subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, check=False)
                with open(out) as f:
                    wall, user, sys_ = map(float, f.read().split()[-3:])
                times[b].append((wall, user + sys_))
            print(f"round {r + 1}/{a.runs} done", file=sys.stderr)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"{'binary':<40} {'wall min':>9} {'wall med':>9} {'cpu min':>8} {'cpu med':>8}")
    for b, t in times.items():
        w = [x[0] for x in t]
        c = [x[1] for x in t]
        print(f"{b:<40} {min(w):>8.2f}s {statistics.median(w):>8.2f}s "
              f"{min(c):>7.2f}s {statistics.median(c):>7.2f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
