#!/usr/bin/env python3
"""What a reader copies from the docs works as shown.

  doc_snippets.py snippets CXX ROOT DOC... [--single-header EXAMPLE] [-I DIR]...
      Compiles every C++ block of each DOC alone (-fsyntax-only, C++20, -Wall -Wextra
      -Wpedantic -Werror): a block must carry its own #includes, such as <iostream>. Blocks taken
      from EXAMPLE (the marker `<!-- example: EXAMPLE -->`) see single_include/, the others
      include/; -I DIR adds a dependency's headers (Eigen, Boost, nlohmann-json).
  doc_snippets.py compile-line CXX ROOT DOC WORK PREFIX
      Runs the one line of DOC that starts with PREFIX (a compile command, its compiler
      replaced by CXX) in WORK, where ROOT's single_include/ and examples/ are linked, then
      runs the program it names after -o.
Standard library only; exits 1 with the file, line and compiler output of each failure.
"""
import pathlib
import re
import shlex
import subprocess
import sys
import tempfile

SYSTEM_DIRS = ("/usr/include", "/usr/local/include")
MARK = re.compile(r"^<!-- example: (\S+) -->\s*$")


def blocks(doc: pathlib.Path):
    """(line number, example named by the marker or None, code) of each ```cpp block."""
    lines = doc.read_text(encoding="utf-8").splitlines()
    source = None
    i = 0
    while i < len(lines):
        m = MARK.match(lines[i])
        if m:
            source = m.group(1)
        elif lines[i].startswith("```cpp") or lines[i].startswith("```c++"):
            end = i + 1
            while end < len(lines) and not lines[end].startswith("```"):
                end += 1
            yield i + 1, source, "\n".join(lines[i + 1:end]) + "\n"
            source = None
            i = end
        i += 1


def snippets(cxx, root, docs, single_header, includes) -> int:
    failures = 0
    count = 0
    with tempfile.TemporaryDirectory() as tmp:
        for doc in docs:
            for line, source, code in blocks(doc):
                count += 1
                own = root / ("single_include" if source == single_header else "include")
                path = pathlib.Path(tmp) / f"snippet_{count}.cpp"
                path.write_text(code, encoding="utf-8")
                cmd = [cxx, "-std=c++20", "-fsyntax-only", "-Wall", "-Wextra", "-Wpedantic",
                       "-Werror", f"-I{own}"] + [f"-isystem{d}" for d in includes] + [str(path)]
                r = subprocess.run(cmd, capture_output=True, text=True)
                if r.returncode != 0:
                    failures += 1
                    print(f"{doc}:{line}: the block ({source}) does not compile alone:\n"
                          f"{r.stderr}")
    print(f"{count} blocks compiled alone, {failures} failed")
    return 1 if failures or count == 0 else 0


def compile_line(cxx, root, doc, work, prefix) -> int:
    found = [(n, l) for n, l in enumerate(doc.read_text(encoding="utf-8").splitlines(), 1)
             if l.startswith(prefix)]
    if len(found) != 1:
        print(f"{doc}: {len(found)} lines start with '{prefix}', want exactly 1")
        return 1
    n, line = found[0]
    args = shlex.split(line)
    work.mkdir(parents=True, exist_ok=True)
    for name in ("single_include", "examples"):
        link = work / name
        if not link.exists():
            link.symlink_to(root / name)
    r = subprocess.run([cxx] + args[1:], cwd=work, capture_output=True, text=True)
    if r.returncode != 0:
        print(f"{doc}:{n}: the compile line failed:\n{line}\n{r.stderr}")
        return 1
    program = work / args[args.index("-o") + 1]
    r = subprocess.run([str(program)], capture_output=True, text=True)
    print(f"{doc}:{n}: {line}\n{r.stdout}")
    if r.returncode != 0:
        print(f"{program} exited with {r.returncode}: {r.stderr}")
        return 1
    return 0


def main(argv) -> int:
    mode, cxx, root = argv[1], argv[2], pathlib.Path(argv[3])
    rest = argv[4:]
    if mode == "compile-line":
        return compile_line(cxx, root, pathlib.Path(rest[0]), pathlib.Path(rest[1]), rest[2])
    docs, includes, single_header = [], [], None
    i = 0
    while i < len(rest):
        if rest[i] == "--single-header":
            single_header = rest[i + 1]
            i += 2
        elif rest[i] == "-I":
            # Not the compiler's own folders: -isystem /usr/include breaks #include_next.
            includes += [d for d in rest[i + 1].split("|")
                         if d and d not in includes and d not in SYSTEM_DIRS]
            i += 2
        else:
            docs.append(pathlib.Path(rest[i]))
            i += 1
    return snippets(cxx, root, docs, single_header, includes)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
