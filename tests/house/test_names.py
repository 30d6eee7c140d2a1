#!/usr/bin/env python3
"""House check: no Catch2 test or section name has its first ": " near the console width.

Catch2 v2's console reporter prints a failing test's name wrapped at 80 columns, each wrapped
line indented to just after the name's first ": ". When that indent reaches the width, the
wrap makes no progress and the reporter prints the same line forever: one failing test wrote
an 18 GB log and nearly filled the disk (issue 16's PostgreSQL standby test, 2026-12-07).
This scans every TEST_CASE and SECTION name (adjacent string literals joined) under tests/.
"""
import pathlib
import re
import sys

# Catch2 wraps at 79 columns (CATCH_CONFIG_CONSOLE_WIDTH 80, less one) and indents a section
# 2 more: a section whose first ": " ends at column 77 loops. 75 leaves two columns spare.
LIMIT = 75
LITERAL = re.compile(r'\s*(?://[^\n]*\n\s*)*"((?:[^"\\]|\\.)*)"')
OPENING = re.compile(r"\b(TEST_CASE|SECTION)\s*\(")


def names(text):
    for m in OPENING.finditer(text):
        parts, at = [], m.end()
        while (lit := LITERAL.match(text, at)) is not None:
            parts.append(lit.group(1))
            at = lit.end()
        if parts:
            yield text.count("\n", 0, m.start()) + 1, "".join(parts)


def main(root):
    bad = 0
    for path in sorted(pathlib.Path(root, "tests").rglob("*.cpp")):
        for line, name in names(path.read_text(encoding="utf-8")):
            colon = name.find(": ")
            if colon >= 0 and colon + 2 >= LIMIT:
                print(f"{path}:{line}: first ': ' at column {colon + 2} (limit {LIMIT}): {name}")
                bad += 1
    if bad:
        print(f"{bad} name(s) would make Catch2 wrap forever on failure: move the first ': ' "
              "earlier or drop it")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "."))
