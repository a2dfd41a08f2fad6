#!/usr/bin/env python3
"""Checks that every include between parts of include/synergy follows the stage order.

The order is read from the table between `<!-- stage-order:begin -->` and
`<!-- stage-order:end -->` in docs/development.md: each row names a stage, the files or folders
that belong to it, and the stages it may include. A header may include its own stage and the
stages listed for it; never another folder's `detail/` (the ground floor's `detail/` is shared).
A header in no stage is an error too, so a new folder must be placed in the table.

  check_stages.py [--root DIR] [--include DIR] [--doc FILE]
Prints one line per offending include ("<file>:<line>: ...") and exits 1, or exits 0 quietly
with a one-line summary. Standard library only.
"""
import argparse
import pathlib
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]synergy/([^">]+)[">]')
ROW = re.compile(r"^\|\s*`?([a-z_]+)`?\s*\|([^|]*)\|([^|]*)\|\s*$")


def read_table(doc: pathlib.Path):
    """{stage: (members, allowed)} from the marked table of `doc`."""
    text = doc.read_text(encoding="utf-8")
    m = re.search(r"<!-- stage-order:begin -->(.*?)<!-- stage-order:end -->", text, re.S)
    if not m:
        sys.exit(f"{doc}: no stage-order table (<!-- stage-order:begin --> ... end)")
    stages = {}
    for line in m.group(1).splitlines():
        r = ROW.match(line.strip())
        if not r or r.group(1) == "stage":
            continue
        members = [x.strip(" `") for x in r.group(2).split(",") if x.strip(" `")]
        allowed = {x.strip(" `") for x in r.group(3).split(",") if x.strip(" `") and x.strip() != "—"}
        stages[r.group(1)] = (members, allowed)
    if not stages:
        sys.exit(f"{doc}: the stage-order table has no rows")
    return stages


def stage_of(rel: str, stages) -> str | None:
    """The stage of a path relative to include/synergy ("sources/rapl.hpp", "network.hpp")."""
    best = None
    for name, (members, _) in stages.items():
        for m in members:
            if rel == m or (m.endswith("/") and rel.startswith(m)):
                if best is None or len(m) > len(best[1]):
                    best = (name, m)
    return best[0] if best else None


def check(include_dir: pathlib.Path, stages) -> list:
    problems = []
    root = include_dir / "synergy"
    headers = sorted(p for p in root.rglob("*") if p.suffix in (".hpp", ".h"))
    for path in headers:
        rel = path.relative_to(root).as_posix()
        own = stage_of(rel, stages)
        if own is None:
            problems.append(f"{rel}:1: not in any stage of the stage-order table")
            continue
        allowed = stages[own][1] | {own}
        folder = rel.split("/")[0] if "/" in rel else ""
        for n, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            target = m.group(1)
            theirs = stage_of(target, stages)
            if theirs is None:
                problems.append(f"{rel}:{n}: includes synergy/{target}, which is in no stage")
            elif theirs not in allowed:
                problems.append(f"{rel}:{n}: {own} -> {theirs} (synergy/{target}) runs against the stage order")
            parts = target.split("/")
            if "detail" in parts[:-1] and parts[0] != "detail" and parts[0] != folder:
                problems.append(f"{rel}:{n}: reaches into {parts[0]}/detail (synergy/{target})")
    return problems, len(headers)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    here = pathlib.Path(__file__).resolve().parent.parent
    ap.add_argument("--root", type=pathlib.Path, default=here)
    ap.add_argument("--include", type=pathlib.Path, help="include dir (default ROOT/include)")
    ap.add_argument("--doc", type=pathlib.Path, help="table (default ROOT/docs/development.md)")
    a = ap.parse_args()
    stages = read_table(a.doc or a.root / "docs" / "development.md")
    problems, count = check(a.include or a.root / "include", stages)
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} include(s) against the stage order in {count} headers")
        return 1
    print(f"stage order: {count} headers, every include follows it")
    return 0


if __name__ == "__main__":
    sys.exit(main())
