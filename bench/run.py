#!/usr/bin/env python3
"""gongwen archive-search benchmark: gongwen vs recoll vs SQLite FTS5 vs ripgrep.

One run, one corpus, one machine. See bench/README.md for what is measured and
how; ``python3 bench/run.py --help`` for the options. Python 3 standard library
only; the peers are Debian packages (``ripgrep recoll sqlite3 time``) installed
with apt-get when missing (a peer that cannot be installed is skipped).

Exit status 0 also when the corpus is absent (a skip message is printed), so
that CI can run ``--quick`` on any checkout.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from fts5_build import match_form  # noqa: E402

TOOLS = ("gongwen", "recoll", "fts5", "rg")
TIME = "/usr/bin/time"


# ---------------------------------------------------------------- helpers


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def load1() -> float:
    """1-minute load average (/proc/loadavg)."""
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except OSError:
        return float("nan")


def sh(cmd: list[str] | str, **kw) -> str:
    """Run a command, return stdout ('' when the command is missing/fails)."""
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, shell=isinstance(cmd, str), **kw)
        return r.stdout.strip()
    except OSError:
        return ""


def dir_bytes(p: Path) -> int:
    total = 0
    for root, _, names in os.walk(p):
        for n in names:
            try:
                total += os.lstat(os.path.join(root, n)).st_size
            except OSError:
                pass
    return total


def corpus_files(p: Path) -> list[Path]:
    out = []
    for root, dirs, names in os.walk(p):
        dirs.sort()
        out.extend(Path(root) / n for n in sorted(names))
    return out


def warm(files: list[Path]) -> None:
    """Read every file once so that every tool starts with a warm page cache."""
    for f in files:
        with open(f, "rb") as h:
            while h.read(1 << 20):
                pass


def pct(xs: list[float], p: float) -> float:
    """p-th percentile (nearest rank) of xs."""
    s = sorted(xs)
    k = max(0, min(len(s) - 1, int(round(p / 100 * len(s) + 0.5)) - 1))
    return s[k]


def fmt_ratio(a: float | None, b: float | None) -> str:
    if a is None or b is None or b == 0:
        return "–"
    return f"{a / b:.2f}"


def fmt(x: float | None, spec: str) -> str:
    return "–" if x is None else format(x, spec)


# ---------------------------------------------------------------- tools


def ensure_peers(no_install: bool) -> dict[str, str]:
    """Install missing peers with apt-get; return {tool: version or ''}
    ('' = unavailable, skipped)."""
    need = {"rg": "ripgrep", "recollindex": "recoll", "sqlite3": "sqlite3", TIME: "time"}
    missing = [pkg for exe, pkg in need.items() if not shutil.which(exe)]
    if missing and not no_install:
        log(f"installing {' '.join(missing)} with apt-get")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], capture_output=True, env=env)
        r = subprocess.run(["apt-get", "install", "-y", "-qq", *missing], capture_output=True, text=True, env=env)
        if r.returncode != 0:
            log(f"apt-get install failed (peers missing will be skipped): {r.stderr.strip()[-300:]}")
    v = {}
    v["rg"] = sh(["rg", "--version"]).splitlines()[0] if shutil.which("rg") else ""
    if shutil.which("recollindex") and shutil.which("recollq"):
        ver = sh("dpkg-query -W -f='${Version}' recollcmd 2>/dev/null || dpkg-query -W -f='${Version}' recoll")
        v["recoll"] = f"recoll {ver or '(version unknown)'}"
    else:
        v["recoll"] = ""
    v["fts5"] = f"SQLite {sh(['sqlite3', '--version']).split(' ')[0]} (sqlite3 CLI), Python {platform.python_version()}" if shutil.which("sqlite3") else ""
    for t in ("rg", "recoll", "fts5"):
        if not v[t]:
            log(f"peer {t} unavailable: skipped")
    if not os.path.exists(TIME):
        sys.exit("bench: /usr/bin/time is required (apt-get install -y time)")
    return v


def gongwen_binary(arg: str | None, quick: bool) -> tuple[Path, str]:
    """The gongwen binary to measure and a note on its profile."""
    if arg:
        return Path(arg), "given with --bin"
    # Cargo's output folder: target/, or $CARGO_TARGET_DIR when set (relative to the project).
    target = ROOT / os.environ.get("CARGO_TARGET_DIR", "target")
    rel, dbg = target / "release/gongwen", target / "debug/gongwen"
    if rel.exists():
        return rel, "release"
    if quick and dbg.exists():
        return dbg, "DEBUG build (no release binary; timings not representative)"
    log("building gongwen: cargo build --release --bin gongwen")
    subprocess.run(["cargo", "build", "--release", "--bin", "gongwen"], cwd=ROOT, check=True)
    return rel, "release"


@dataclass
class IndexRow:
    tool: str
    wall: float | None = None  # s
    rss_mb: float | None = None  # peak RSS of the process, MB
    size_mb: float | None = None  # index on disk, MB
    load: float = float("nan")  # 1-min load at the start
    note: str = ""


def timed(cmd: list[str], env: dict | None = None, cwd: Path | None = None) -> tuple[float, float, str]:
    """Run cmd under /usr/bin/time; return (wall s, peak RSS MB, stdout).

    The disk is synced first, so that no tool's build waits behind the writeback of
    the corpus copy or of the previous tool's index (a freshly written ×10 copy is
    ~600 MB of dirty pages)."""
    os.sync()
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        r = subprocess.run([TIME, "-o", tf.name, "-f", "%e %M", *cmd], capture_output=True, text=True, env=env, cwd=cwd)
        if r.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} exited {r.returncode}: {r.stderr.strip()[-500:]}")
        last = [ln for ln in Path(tf.name).read_text().splitlines() if ln.strip()][-1]
        wall, rss = last.split()
        return float(wall), int(rss) / 1024, r.stdout


class Gongwen:
    name = "gongwen"

    def __init__(self, binary: Path, work: Path):
        self.bin, self.idx = binary, work / "gongwen-index"

    def index(self, corpus: Path) -> IndexRow:
        shutil.rmtree(self.idx, ignore_errors=True)
        row = IndexRow(self.name, load=load1())
        row.wall, row.rss_mb, out = timed([str(self.bin), "--index", str(self.idx), "index", str(corpus)])
        row.size_mb = dir_bytes(self.idx) / 1e6
        for part in out.replace("·", "\n").splitlines():
            if "文本 text" in part:
                row.note = "extracted " + part.split("text", 1)[1].strip().split(" (")[0]
        return row

    def reindex(self, corpus: Path) -> tuple[float, float, str]:
        return timed([str(self.bin), "--index", str(self.idx), "index", str(corpus)])

    def query_cmd(self, q: str, corpus: Path) -> list[str]:
        return [str(self.bin), "--index", str(self.idx), "search", "--count", q]

    @staticmethod
    def count(out: str) -> int:
        return int(out.strip() or 0)


class Recoll:
    name = "recoll"

    def __init__(self, work: Path):
        self.conf = work / "recoll-conf"

    def index(self, corpus: Path) -> IndexRow:
        shutil.rmtree(self.conf, ignore_errors=True)
        self.conf.mkdir(parents=True)
        # Throwaway config: only CORPUS, no aspell dictionary (gongwen has no
        # spelling suggestions either), .md indexed as plain text.
        (self.conf / "recoll.conf").write_text(
            f"topdirs = {corpus}\nnoaspell = 1\nloglevel = 1\n"
        )
        (self.conf / "mimemap").write_text(".md = text/plain\n")
        row = IndexRow(self.name, load=load1())
        row.wall, row.rss_mb, _ = timed(["recollindex", "-c", str(self.conf)])
        row.size_mb = dir_bytes(self.conf / "xapiandb") / 1e6
        return row

    def query_cmd(self, q: str, corpus: Path) -> list[str]:
        # -n 0: no 2000-result cap; -b: URLs only; quoted: phrase query.
        return ["recollq", "-c", str(self.conf), "-b", "-n", "0", f'"{q}"']

    @staticmethod
    def count(out: str) -> int:
        return sum(1 for ln in out.splitlines() if ln.startswith("file://"))


class Fts5:
    name = "fts5"

    def __init__(self, work: Path):
        self.db = work / "fts5.db"

    def index(self, corpus: Path) -> IndexRow:
        row = IndexRow(self.name, load=load1())
        row.wall, row.rss_mb, _ = timed([sys.executable, str(HERE / "fts5_build.py"), str(self.db), str(corpus)])
        row.size_mb = os.path.getsize(self.db) / 1e6
        return row

    def query_cmd(self, q: str, corpus: Path) -> list[str]:
        nq = match_form(q)
        if len(nq) >= 3:
            sql = "SELECT count(*) FROM docs WHERE body MATCH '\"{}\"'".format(nq.replace('"', '""').replace("'", "''"))
        else:
            # Trigram can't answer 1–2 character queries (MATCH and even LIKE on
            # the FTS column return no rows): full scan of the stored text.
            sql = "SELECT count(*) FROM docs WHERE instr(body, '{}') > 0".format(nq.replace("'", "''"))
        return ["sqlite3", str(self.db), sql]

    @staticmethod
    def count(out: str) -> int:
        return int(out.strip() or 0)


class Ripgrep:
    name = "rg"

    def index(self, corpus: Path) -> IndexRow:
        return IndexRow(self.name, note="no index")

    def query_cmd(self, q: str, corpus: Path) -> list[str]:
        return ["rg", "-l", "-F", q, str(corpus)]

    @staticmethod
    def count(out: str) -> int:
        return sum(1 for ln in out.splitlines() if ln)


# ---------------------------------------------------------------- measuring


@dataclass
class QueryRow:
    tool: str
    times: dict[str, float] = field(default_factory=dict)  # query → median wall s
    hits: dict[str, int] = field(default_factory=dict)

    def median(self) -> float | None:
        return statistics.median(self.times.values()) if self.times else None

    def p95(self) -> float | None:
        return pct(list(self.times.values()), 95) if self.times else None


def run_queries(tools: list, queries: list[str], corpus: Path, repeats: int) -> dict[str, QueryRow]:
    """Each query as a separate process per tool, tools interleaved per query
    (so background load hits all alike); per query the median of `repeats`."""
    rows = {t.name: QueryRow(t.name) for t in tools}
    for q in queries:
        samples: dict[str, list[float]] = {t.name: [] for t in tools}
        for _ in range(repeats):
            for t in tools:
                cmd = t.query_cmd(q, corpus)
                t0 = time.perf_counter()
                r = subprocess.run(cmd, capture_output=True, text=True)
                dt = time.perf_counter() - t0
                if r.returncode not in (0, 1):
                    raise RuntimeError(f"{' '.join(cmd)} exited {r.returncode}: {r.stderr.strip()[-300:]}")
                samples[t.name].append(dt)
                rows[t.name].hits[q] = t.count(r.stdout)
        for name, s in samples.items():
            rows[name].times[q] = statistics.median(s)
    return rows


def index_with_retry(tool, corpus: Path, high: float) -> IndexRow:
    """Build once; for gongwen, if the load was high at the start, build again
    and keep the faster run (both runs are named in the note). Peers are built
    once: their builds are the long ones, and their load is in the table."""
    row = tool.index(corpus)
    if isinstance(tool, Gongwen) and row.wall is not None and row.load > high:
        log(f"{tool.name}: load {row.load:.2f} > {high} at start, building again")
        again = tool.index(corpus)
        note = f"load {row.load:.1f}/{again.load:.1f}: runs {row.wall:.1f}/{again.wall:.1f} s, faster kept"
        if again.wall < row.wall:
            row = again
        row.note = (row.note + "; " if row.note else "") + note
    return row


def make_scaled(corpus: Path, files: list[Path], scale: int, dest: Path) -> Path:
    """dest/copyN/<relative path> for N in 0..scale, or a subset copy."""
    shutil.rmtree(dest, ignore_errors=True)
    for n in range(scale):
        for f in files:
            t = dest / f"copy{n}" / f.relative_to(corpus)
            t.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(f, t)
    return dest


# ---------------------------------------------------------------- report


def machine() -> list[str]:
    cpu = ""
    for ln in Path("/proc/cpuinfo").read_text().splitlines() if Path("/proc/cpuinfo").exists() else []:
        if ln.startswith("model name"):
            cpu = ln.split(":", 1)[1].strip()
            break
    mem = sh(["free", "-h"]).splitlines()
    return [
        f"- CPU: {cpu or platform.processor()} · `nproc` = {os.cpu_count()} (sh: {sh(['nproc'])})",
        f"- Memory (`free -h`): {mem[1].split()[1] if len(mem) > 1 else '?'} total; "
        f"kernel {platform.release()}; {platform.platform()}",
        f"- Load at start (`uptime`): {sh(['uptime'])}",
    ]


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out


def index_table(scale_rows: dict[int, dict[str, IndexRow]], text_mb: dict[int, float]) -> list[str]:
    rows = []
    for scale, rs in scale_rows.items():
        g = rs.get("gongwen")
        for name, r in rs.items():
            mbps = text_mb[scale] / r.wall if r.wall else None
            rows.append([
                f"×{scale}", name, fmt(r.wall, ".2f"), fmt(mbps, ".1f"), fmt(r.rss_mb, ".0f"),
                fmt(r.size_mb, ".1f"), fmt(r.size_mb / text_mb[scale] if r.size_mb else None, ".2f"),
                "–" if r.load != r.load else f"{r.load:.2f}", r.note,
            ])
        for name, r in rs.items():
            if name != "gongwen" and g and r.wall:
                rows.append([f"×{scale}", f"**gongwen / {name}**", fmt_ratio(g.wall, r.wall), fmt_ratio(r.wall, g.wall) + " (speed-up)",
                             fmt_ratio(g.rss_mb, r.rss_mb), fmt_ratio(g.size_mb, r.size_mb), "", "", "ratio"])
    return table(["corpus", "tool", "wall s", "MB/s", "peak RSS MB", "index MB", "index/text", "load", "note"], rows)


def query_table(scale_q: dict[int, dict[str, QueryRow]], queries: list[str]) -> list[str]:
    rows = []
    for scale, qs in scale_q.items():
        g = qs.get("gongwen")
        for name, r in qs.items():
            same = sum(1 for q in queries if g and r.hits.get(q) == g.hits.get(q))
            rows.append([f"×{scale}", name, fmt(r.median() * 1e3, ".1f"), fmt(r.p95() * 1e3, ".1f"),
                         str(sum(r.hits.values())), f"{same}/{len(queries)}"])
        for name, r in qs.items():
            if name != "gongwen" and g:
                rows.append([f"×{scale}", f"**gongwen / {name}**", fmt_ratio(g.median(), r.median()),
                             fmt_ratio(g.p95(), r.p95()), fmt_ratio(sum(g.hits.values()), sum(r.hits.values())), "ratio"])
    return table(["corpus", "tool", "median ms", "p95 ms", "hits (sum)", "same count as gongwen"], rows)


def growth_table(scale_rows, scale_q) -> list[str]:
    scales = sorted(scale_rows)
    if len(scales) < 2:
        return []
    base = scales[0]
    rows = []
    for s in scales[1:]:
        for name in scale_q[s]:
            a, b = scale_rows[base].get(name), scale_rows[s].get(name)
            qa, qb = scale_q[base][name], scale_q[s][name]
            rows.append([f"×{base} → ×{s}", name, fmt_ratio(b.wall if b else None, a.wall if a else None),
                         fmt_ratio(b.rss_mb if b else None, a.rss_mb if a else None),
                         fmt_ratio(qb.median(), qa.median()), fmt_ratio(qb.p95(), qa.p95())])
    return table(["growth", "tool", "index time ×", "peak RSS ×", "query median ×", "query p95 ×"], rows)


def hits_table(qs: dict[str, QueryRow], queries: list[str]) -> list[str]:
    names = list(qs)
    rows = []
    for q in queries:
        rows.append([f"`{q}`", str(len(match_form(q)))] + [
            f"{qs[n].hits.get(q, '–')} ({qs[n].times.get(q, 0) * 1e3:.0f} ms)" for n in names
        ])
    return table(["query", "chars"] + [f"{n} hits (ms)" for n in names], rows)


# ---------------------------------------------------------------- gongwen-only / incremental


def gongwen_section(gw_bin: Path, corpus: Path, files: list[Path], queries: list[str], work: Path,
                    scales: list[int], repeats: int, high: float) -> list[str]:
    """Issue 2/4 figures: full build, no-op rebuild, 1 % touched, 1 % modified,
    query median over 20 queries, peak RSS at each scale."""
    text_mb = sum(f.stat().st_size for f in files) / 1e6
    src = make_scaled(corpus, files, 1, work / "gw-copy")  # never touch the shared corpus
    warm(corpus_files(src))
    g = Gongwen(gw_bin, work / "gw")
    full = index_with_retry(g, src, high)
    idx_mb = full.size_mb
    noop = g.reindex(src)
    copied = corpus_files(src)
    rng = random.Random(4)
    pick = rng.sample(copied, max(1, len(copied) // 100))
    now = time.time() + 5
    for f in pick:
        os.utime(f, (now, now))
    touched = g.reindex(src)
    for f in pick:
        with open(f, "a", encoding="utf-8") as h:
            h.write("\n基准测试追加的一行。\n")
    modified = g.reindex(src)
    q20 = queries[:20]
    qrow = run_queries([g], q20, src, repeats)["gongwen"]

    def count_of(out: str, key: str) -> str:
        for part in out.replace("·", "\n").splitlines():
            if key in part:
                return part.strip()
        return ""

    rows = [
        ["full build", f"{full.wall:.2f}", "1.00", f"{text_mb / full.wall:.1f}", f"{full.rss_mb:.0f}", f"{full.load:.2f}", full.note],
        ["re-run, nothing changed", f"{noop[0]:.2f}", f"{noop[0] / full.wall:.3f}", "", f"{noop[1]:.0f}", "", count_of(noop[2], "unchanged")],
        [f"re-run, {len(pick)} files (1 %) touched", f"{touched[0]:.2f}", f"{touched[0] / full.wall:.3f}", "", f"{touched[1]:.0f}", "",
         count_of(touched[2], "updated")],
        [f"re-run, {len(pick)} files (1 %) appended to", f"{modified[0]:.2f}", f"{modified[0] / full.wall:.3f}", "", f"{modified[1]:.0f}", "",
         count_of(modified[2], "updated")],
    ]
    out = [f"Corpus: {len(files)} files, {text_mb:.1f} MB (copied to a scratch folder; the touched/appended files are copies).", ""]
    out += table(["gongwen index run", "wall s", "/ full build", "MB/s", "peak RSS MB", "load", "gongwen's summary"], rows)
    out += ["", f"Index size {idx_mb:.1f} MB = {idx_mb / text_mb:.2f} × the text size ({text_mb:.1f} MB of files).",
            f"`gongwen search --count` process wall time over {len(q20)} queries (median of {repeats} runs each): "
            f"median {qrow.median() * 1e3:.1f} ms, p95 {qrow.p95() * 1e3:.1f} ms.", ""]
    rss_rows = [[f"×1 ({len(files)} files)", f"{full.wall:.2f}", f"{full.rss_mb:.0f}", f"{full.load:.2f}"]]
    for s in scales:
        if s == 1:
            continue
        big = make_scaled(corpus, files, s, work / f"gw-x{s}")
        r = index_with_retry(Gongwen(gw_bin, work / f"gw{s}"), big, high)
        rss_rows.append([f"×{s} ({len(files) * s} files)", f"{r.wall:.2f}", f"{r.rss_mb:.0f}", f"{r.load:.2f}"])
        shutil.rmtree(big, ignore_errors=True)
        shutil.rmtree(work / f"gw{s}", ignore_errors=True)
    out += table(["full build of", "wall s", "peak RSS MB", "load"], rss_rows)
    return out


# ---------------------------------------------------------------- main


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared/corpus/laws", help="folder to index (default ../shared/corpus/laws)")
    ap.add_argument("--quick", action="store_true", help="smoke test: 300 files, 8 queries, ×1 and ×2, no rebuilds, no BENCHMARKS.md (< 2 min)")
    ap.add_argument("--large", action="store_true", help="also the ×100 copy")
    ap.add_argument("--gongwen-only", action="store_true", help="only the gongwen figures (full/incremental index, queries, RSS)")
    ap.add_argument("--bin", help="gongwen binary (default target/release/gongwen, built if missing)")
    ap.add_argument("--queries", type=Path, default=HERE / "queries.txt")
    ap.add_argument("--repeats", type=int, help="runs per query (median kept); default 3, 1 with --quick")
    ap.add_argument("--out", type=Path, help="write the report here (default BENCHMARKS.md for a full run, none for --quick)")
    ap.add_argument("--no-install", action="store_true", help="do not apt-get install missing peers")
    ap.add_argument("--skip", action="append", default=[], choices=["recoll", "fts5", "rg"],
                    help="leave a peer out of this run (repeatable; recoll alone takes ~35 min at ×10)")
    ap.add_argument("--high-load", type=float, help="rebuild a gongwen index when the 1-min load exceeded this at its start "
                    "(default 1.0; never with --quick)")
    ap.add_argument("--keep", action="store_true", help="keep the scratch folder under /tmp")
    a = ap.parse_args()

    if not a.corpus.is_dir():
        print(f"bench: skipped — corpus {a.corpus} is absent (give one with --corpus DIR)")
        return 0
    corpus = a.corpus.resolve()
    queries = [ln.strip() for ln in a.queries.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]
    files = corpus_files(corpus)
    scales = [1, 10] + ([100] if a.large else [])
    repeats = a.repeats or (1 if a.quick else 3)
    if a.quick:
        files, scales = files[:: max(1, len(files) // 300)][:300], [1, 2]
        queries = queries[:: max(1, len(queries) // 8)][:8]
    if a.high_load is None:
        a.high_load = float("inf") if a.quick else 1.0
    out_path = a.out or (None if a.quick else ROOT / "BENCHMARKS.md")

    versions = {} if a.gongwen_only else ensure_peers(a.no_install)
    for t in a.skip:
        if t in versions:
            versions[t] = ""
            versions[f"{t}_skipped"] = True
    if not os.path.exists(TIME):
        print("bench: /usr/bin/time is missing (apt-get install -y time)", file=sys.stderr)
        return 2
    gw_bin, profile = gongwen_binary(a.bin, a.quick)
    gw_version = sh([str(gw_bin), "--version"]) or "gongwen"
    work = Path(tempfile.mkdtemp(prefix="gongwen-bench-", dir="/tmp"))
    started = time.time()
    lines = ["# gongwen benchmarks", ""]
    lines += [f"Generated by `python3 bench/run.py {' '.join(sys.argv[1:])}` on {time.strftime('%Y-%m-%d %H:%M %Z')}, "
              f"in one run on one machine (see bench/README.md for the method).", "", "## Machine and tools", ""]
    lines += machine()
    lines += [f"- gongwen: {gw_version} ({profile} build, `{gw_bin}`; indexing threads = cores)"]
    for t in ("recoll", "fts5", "rg"):
        if t in versions:
            lines.append(f"- {t}: {versions[t] or ('left out (--skip)' if versions.get(t + '_skipped') else 'not available — skipped')}")
    lines.append(f"- Corpus: `{corpus}` — {len(files)} files, {sum(f.stat().st_size for f in files) / 1e6:.1f} MB"
                 + (" (--quick subset)" if a.quick else ""))
    lines.append("")

    try:
        if not a.gongwen_only:
            lines += compare(a, corpus, files, queries, scales, repeats, gw_bin, versions, work)
        lines += ["## gongwen alone: full and incremental index (issues 2 and 4)", ""]
        lines += gongwen_section(gw_bin, corpus, files, queries, work, scales, repeats, a.high_load)
        lines += ["", f"Load at the end (`uptime`): {sh(['uptime'])}. Total bench time {time.time() - started:.0f} s.", ""]
    finally:
        if a.keep:
            log(f"scratch kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    text = "\n".join(lines)
    print(text)
    if out_path:
        out_path.write_text(text + "\n", encoding="utf-8")
        log(f"written {out_path}")
    return 0


def compare(a, corpus, files, queries, scales, repeats, gw_bin, versions, work) -> list[str]:
    scale_rows: dict[int, dict[str, IndexRow]] = {}
    scale_q: dict[int, dict[str, QueryRow]] = {}
    text_mb: dict[int, float] = {}
    for scale in scales:
        if scale == 1 and not a.quick:
            data = corpus  # the tools only read it
        else:
            log(f"copying the corpus ×{scale}")
            data = make_scaled(corpus, files, scale, work / f"corpus-x{scale}")
        text_mb[scale] = dir_bytes(data) / 1e6
        warm(corpus_files(data))
        sw = work / f"x{scale}"
        sw.mkdir()
        tools = [Gongwen(gw_bin, sw)]
        if versions.get("recoll"):
            tools.append(Recoll(sw))
        if versions.get("fts5"):
            tools.append(Fts5(sw))
        if versions.get("rg"):
            tools.append(Ripgrep())
        rows = {}
        for t in tools:
            log(f"×{scale}: indexing with {t.name} (load {load1():.2f})")
            rows[t.name] = index_with_retry(t, data, a.high_load)
        scale_rows[scale] = rows
        log(f"×{scale}: {len(queries)} queries × {repeats} runs × {len(tools)} tools")
        scale_q[scale] = run_queries(tools, queries, data, repeats)
        if data != corpus:
            shutil.rmtree(data, ignore_errors=True)
        for t in tools:
            if isinstance(t, Recoll):
                shutil.rmtree(t.conf, ignore_errors=True)
        shutil.rmtree(sw, ignore_errors=True)
    out = ["## Index build", "",
           "Wall time and peak RSS from `/usr/bin/time -f \"%e %M\"` (one process each); MB/s = file bytes of the corpus / wall; "
           "index MB = bytes on disk; ratios gongwen / peer from the same run (for wall time < 1 means gongwen is faster). "
           "rg has no index. The FTS5 build is a Python process (`bench/fts5_build.py`: read, normalize like gongwen, insert).", ""]
    out += index_table(scale_rows, text_mb)
    out += ["", "## Queries", "",
            f"{len(queries)} queries from `bench/queries.txt`, each run as a separate process, timed with `time.perf_counter()` "
            f"around `subprocess.run`; per query the median of {repeats} runs, tools interleaved query by query. "
            "gongwen: `gongwen --index DIR search --count Q`; rg: `rg -l -F Q CORPUS` (lines counted, = `| wc -l`); "
            "recoll: `recollq -c DIR -b -n 0 '\"Q\"'` (URL lines counted; `-n 0` lifts the 2000-result cap); "
            "fts5: a `sqlite3` CLI process running `SELECT count(*) FROM docs WHERE body MATCH '\"Q\"'`, "
            "or — for queries of 1–2 characters, which trigram cannot answer (MATCH and even LIKE on the FTS column "
            "return no rows in SQLite 3.40) — `instr(body, 'Q') > 0`, a full scan (the LIKE '%Q%' fallback, written so it runs). "
            "`same count as gongwen` = queries whose hit count equals gongwen's.", ""]
    out += query_table(scale_q, queries)
    g = growth_table(scale_rows, scale_q)
    if g:
        out += ["", "## Growth", "", "Each figure: value on the larger copy / value on the base corpus, per tool.", ""] + g
    out += ["", f"## Hits per query (×{scales[0]})", "",
            "Hit counts differ for known reasons: rg searches raw bytes case-sensitively, so a word broken by a line break or "
            "Markdown markup is missed and upper-case Latin is not matched; fts5 sees the normalized raw text (markup kept); "
            "gongwen matches its normalized extracted text (markup stripped, front matter values kept); recoll matches "
            "its own CJK bigram terms as a phrase.", ""]
    out += hits_table(scale_q[scales[0]], queries)
    out.append("")
    return out


if __name__ == "__main__":
    sys.exit(main())
