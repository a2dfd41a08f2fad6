#!/usr/bin/env python3
"""Checks that code in docs/ is compiled code from examples/.

A fenced code block in docs/*.md that is preceded by a line `<!-- example: examples/F.cpp -->`
must equal the part of F between the lines `// [docs]` and `// [/docs]` (the whole file when
it has no such markers). A ```cpp block without that line is an error, so no uncompiled C++
reaches the docs. Shell and text blocks are free.

  check_docs.py [--root DIR]            check
  check_docs.py [--root DIR] --update   rewrite the blocks from the examples
Standard library only.
"""
import argparse
import pathlib
import re
import sys

MARK = re.compile(r"^<!-- example: (\S+) -->\s*$")


def region(path: pathlib.Path) -> str:
    lines = path.read_text(encoding="utf-8").splitlines()
    if "// [docs]" in lines:
        lines = lines[lines.index("// [docs]") + 1: lines.index("// [/docs]")]
    return "\n".join(lines).strip("\n")


def process(doc: pathlib.Path, root: pathlib.Path, update: bool) -> list:
    errors, out = [], []
    lines = doc.read_text(encoding="utf-8").splitlines()
    i = 0
    source = None
    while i < len(lines):
        line = lines[i]
        m = MARK.match(line)
        if m:
            source = root / m.group(1)
            if not source.is_file():
                errors.append(f"{doc}:{i + 1}: {m.group(1)} does not exist")
                source = None
            out.append(line)
            i += 1
            continue
        if line.startswith("```cpp") or line.startswith("```c++"):
            end = i + 1
            while end < len(lines) and not lines[end].startswith("```"):
                end += 1
            block = "\n".join(lines[i + 1:end])
            if source is None:
                errors.append(f"{doc}:{i + 1}: C++ block without '<!-- example: ... -->'")
                out.extend(lines[i:end + 1])
            else:
                want = region(source)
                if block != want and not update:
                    errors.append(f"{doc}:{i + 1}: block differs from {source.relative_to(root)}")
                out.append(line)
                out.extend(want.splitlines())
                out.append("```")
            source = None
            i = end + 1
            continue
        if line.strip():
            source = None if not line.startswith("<!--") else source
        out.append(line)
        i += 1
    if update:
        doc.write_text("\n".join(out) + "\n", encoding="utf-8")
    return errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=pathlib.Path,
                        default=pathlib.Path(__file__).resolve().parent.parent)
    parser.add_argument("--update", action="store_true")
    args = parser.parse_args()
    errors = []
    docs = sorted((args.root / "docs").glob("**/*.md")) + [args.root / "README.md"]
    for doc in docs:
        errors += process(doc, args.root, args.update)
    for e in errors:
        print(e)
    print(f"checked {len(docs)} documents: {len(errors)} problems")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
