#!/usr/bin/env python3
"""Fails when the modules of a crate import each other in a circle, and prints the circle.

For each crate root given (default: providers, core, sandbox, the CLI and the Tauri shell) it
reads every module file reachable through `mod name;` (and inline `mod name { … }`), collects
the paths that start at `crate::`, `super::`, `self::` or a child module (in `use` trees and in
code), resolves them to the module that defines the name (following `pub use` re-exports, also
globs), and draws an edge between the two sibling modules under their common ancestor: a use
of `crate::store::Store` from `crate::numbers::jobs` is the edge `numbers -> store` at the crate
level. A module and its own descendants (`use super::*` in a child, a parent using its child)
form no edge: a parent's private children are its own implementation. A strongly connected set
of two or more siblings is a circle; each edge is printed with the first line that makes it.

usage: scripts/module-cycles.py [--self-test] [CRATE_ROOT.rs ...]
(--self-test first checks, on two small crates it writes, that a circle is found, also through a
`pub use` re-export, and that a parent and its children make none.)
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The sandbox (crates/sandbox) is not checked yet: its modules still form circles around
# `state` (see the report of the change that added this script).
DEFAULT_ROOTS = [
    "crates/providers/src/lib.rs",
    "crates/core/src/lib.rs",
    "crates/cli/src/main.rs",
    "src-tauri/src/lib.rs",
]

IDENT = r"[A-Za-z_][A-Za-z0-9_]*"
ITEM_RE = re.compile(
    r"^\s*(?:#\[[^\]]*\]\s*)*(?:pub(?:\([^)]*\))?\s+)?(?:async\s+|const\s+|unsafe\s+|extern\s+\"C\"\s+)*"
    r"(?:fn|struct|enum|trait|type|const|static|union|macro_rules!|mod)\s+(" + IDENT + ")",
    re.M,
)


RAW_STRING_RE = re.compile(r'b?r(#*)"')
CHAR_RE = re.compile(r"'(?:\\.|\\u\{[0-9a-fA-F]+\}|[^\\'])'")


def strip_comments_and_strings(text: str) -> str:
    """Blanks comments, string and char literals (keeping newlines, so lines still count)."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j == -1 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if text.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif text.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c in "br" and (m := RAW_STRING_RE.match(text, i)) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            end = '"' + m.group(1)
            j = text.find(end, m.end())
            j = n if j == -1 else j + len(end)
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c == "'" and (m := CHAR_RE.match(text, i)):
            out.append(" " * (m.end() - i))
            i = m.end()
        else:
            out.append(c)
            i += 1
    return "".join(out)


@dataclass
class Module:
    path: tuple[str, ...]
    file: Path
    children: set[str] = field(default_factory=set)
    items: set[str] = field(default_factory=set)
    # name -> full path (segments, relative to this module's scope) of a `pub use`
    reexports: dict[str, list[str]] = field(default_factory=dict)
    globs: list[list[str]] = field(default_factory=list)
    # (segments, line) of every path used in this module's own code
    uses: list[tuple[list[str], int]] = field(default_factory=list)


def expand_use_tree(tree: str) -> list[tuple[list[str], str | None]]:
    """`a::{b, c::{d as e, self}}` -> [(['a','b'], None), (['a','c','d'], 'e'), (['a','c'], None)]."""
    tree = re.sub(r"\s*(::|[{},])\s*", r"\1", " ".join(tree.split()))
    results: list[tuple[list[str], str | None]] = []

    def parse(s: str, prefix: list[str]) -> None:
        depth, start, parts = 0, 0, []
        for k, ch in enumerate(s):
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
            elif ch == "," and depth == 0:
                parts.append(s[start:k])
                start = k + 1
        parts.append(s[start:])
        for part in filter(None, (p.strip() for p in parts)):
            brace = part.find("{")
            if brace != -1:
                head = [seg for seg in part[:brace].split("::") if seg]
                parse(part[brace + 1 : part.rfind("}")], prefix + head)
                continue
            alias = None
            if m := re.match(r"(.*\S)\s+as\s+(" + IDENT + ")$", part):
                part, alias = m.group(1), m.group(2)
            segs = [seg for seg in part.split("::") if seg]
            if segs and segs[-1] == "self":
                segs = segs[:-1]
            results.append((prefix + segs, alias))

    parse(tree, [])
    return results


class Crate:
    def __init__(self, root_file: Path):
        self.root_file = root_file
        self.modules: dict[tuple[str, ...], Module] = {}
        self.load((), root_file, is_root=True)

    # ---- reading -------------------------------------------------------------------------
    def load(self, path: tuple[str, ...], file: Path, is_root: bool = False) -> None:
        text = strip_comments_and_strings(file.read_text(encoding="utf-8"))
        directory = file.parent if (is_root or file.name == "mod.rs") else file.with_suffix("")
        self.read_block(path, file, text, 0, len(text), directory)

    def read_block(self, path: tuple[str, ...], file: Path, text: str, start: int, end: int, directory: Path) -> None:
        module = self.modules.setdefault(path, Module(path, file))
        body = text[start:end]
        # Inline modules first: their text belongs to them, not to this module.
        inline_spans: list[tuple[int, int]] = []
        for m in re.finditer(r"(?:^|[;{}\]\s])(?:pub(?:\([^)]*\))?\s+)?mod\s+(" + IDENT + r")\s*([;{])", body):
            if any(a <= m.start(1) < b for a, b in inline_spans):
                continue
            name = m.group(1)
            module.children.add(name)
            if m.group(2) == ";" and re.search(
                r"#\[\s*path\s*=[^\]]*\]\s*(?:pub(?:\([^)]*\))?\s+)?mod\s+$", body[max(0, m.start(1) - 300) : m.start(1)]
            ):
                # `#[path = "…"] mod x;` borrows a file from elsewhere (a test's support code): a leaf here.
                self.modules.setdefault(path + (name,), Module(path + (name,), file))
            elif m.group(2) == ";":
                candidates = [directory / f"{name}.rs", directory / name / "mod.rs"]
                found = next((c for c in candidates if c.exists()), None)
                if found is None:
                    raise SystemExit(f"module-cycles: {file}: `mod {name};` has no file")
                self.load(path + (name,), found)
            else:
                open_at = start + m.end() - 1
                close_at = matching_brace(text, open_at)
                inline_spans.append((m.end() - 1, close_at - start + 1))
                self.read_block(path + (name,), file, text, open_at + 1, close_at, directory / name)
        own = list(body)
        for a, b in inline_spans:
            own[a:b] = [ch if ch == "\n" else " " for ch in own[a:b]]
        own_text = "".join(own)
        line_of = lambda offset: text.count("\n", 0, start + offset) + 1  # noqa: E731

        module.items.update(m.group(1) for m in ITEM_RE.finditer(own_text))
        use_spans = []
        for m in re.finditer(r"(?:^|[;{}\s])(pub(?:\([^)]*\))?\s+)?use\s+([^;]+);", own_text):
            use_spans.append((m.start(2), m.end(2)))
            public = m.group(1) is not None
            for segs, alias in expand_use_tree(m.group(2)):
                if not segs:
                    continue
                segs = [s for s in segs if s != ""]
                if segs[0] == "::":
                    continue
                module.uses.append((segs if segs[-1] != "*" else segs[:-1], line_of(m.start(2))))
                if segs[-1] == "*":
                    if public:
                        module.globs.append(segs[:-1])
                    continue
                name = alias or segs[-1]
                module.items.discard(name)
                if public:
                    module.reexports[name] = segs
                else:
                    module.reexports.setdefault(name, segs)  # a private import, seen by children
        rest = list(own_text)
        for a, b in use_spans:
            rest[a:b] = [ch if ch == "\n" else " " for ch in rest[a:b]]
        rest_text = "".join(rest)
        for m in re.finditer(r"(?<![A-Za-z0-9_:])((?:" + IDENT + r")(?:\s*::\s*" + IDENT + r")+)", rest_text):
            segs = re.split(r"\s*::\s*", m.group(1))
            if segs[0] in ("crate", "super", "self") or segs[0] in module.children:
                module.uses.append((segs, line_of(m.start(1))))

    # ---- resolving -----------------------------------------------------------------------
    def absolute(self, here: tuple[str, ...], segs: list[str]) -> list[str] | None:
        """A path as written in module `here` -> segments from the crate root, or None (extern)."""
        base = list(here)
        segs = list(segs)
        if segs[0] == "crate":
            base, segs = [], segs[1:]
        elif segs[0] in ("self", "super"):
            while segs and segs[0] in ("self", "super"):
                if segs[0] == "super":
                    if not base:
                        return None
                    base.pop()
                segs = segs[1:]
        elif segs[0] in self.modules[here].children:
            pass
        else:
            return None
        return base + segs

    def resolve(self, segs: list[str], depth: int = 0) -> tuple[str, ...]:
        """Absolute segments -> the module that defines the last name (or the deepest module)."""
        node: tuple[str, ...] = ()
        i = 0
        while i < len(segs) and segs[i] in self.modules[node].children:
            node += (segs[i],)
            i += 1
        if i == len(segs) or depth > 8:
            return node
        name = segs[i]
        module = self.modules[node]
        if name in module.items:
            return node
        if name in module.reexports:
            target = self.absolute(node, module.reexports[name])
            if target is not None:
                return self.resolve(target + segs[i + 1 :], depth + 1)
            return node
        for glob in module.globs:
            source = self.absolute(node, glob)
            if source is None:
                continue
            found = self.resolve(source + [name], depth + 1)
            if name in self.modules[found].items or name in self.modules[found].reexports:
                return found
        return node

    # ---- the graph -----------------------------------------------------------------------
    def edges(self) -> dict[tuple[tuple[str, ...], tuple[str, ...]], str]:
        """(from sibling, to sibling) -> where it is first used."""
        found: dict[tuple[tuple[str, ...], tuple[str, ...]], str] = {}
        for here, module in sorted(self.modules.items()):
            for segs, line in module.uses:
                absolute = self.absolute(here, segs)
                if absolute is None:
                    continue
                target = self.resolve(absolute)
                common = 0
                while common < min(len(here), len(target)) and here[common] == target[common]:
                    common += 1
                if common == len(here) or common == len(target):
                    continue  # itself, an ancestor or a descendant
                edge = (here[: common + 1], target[: common + 1])
                shown = module.file.relative_to(ROOT) if module.file.is_relative_to(ROOT) else module.file
                where = f"{shown}:{line}: {'::'.join(segs)}"
                found.setdefault(edge, where)
        return found


def matching_brace(text: str, open_at: int) -> int:
    depth = 0
    for k in range(open_at, len(text)):
        if text[k] == "{":
            depth += 1
        elif text[k] == "}":
            depth -= 1
            if depth == 0:
                return k
    raise SystemExit("module-cycles: unbalanced braces")


def cycles(edges) -> list[list[tuple[str, ...]]]:
    """Strongly connected components of two or more nodes (Tarjan)."""
    graph: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for a, b in edges:
        graph.setdefault(a, []).append(b)
        graph.setdefault(b, [])
    index: dict = {}
    low: dict = {}
    stack: list = []
    on_stack: set = set()
    out: list[list[tuple[str, ...]]] = []
    counter = [0]

    def connect(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            connect(v)
    return out


def name(path: tuple[str, ...]) -> str:
    return "::".join(("crate",) + path)


SELF_TEST = {
    # a -> b through the root's re-export of `B`, b -> a directly: one circle.
    "circle": {
        "lib.rs": "mod a;\nmod b;\npub use b::B;\n",
        "a.rs": "use crate::B;\npub struct A(pub B);\n",
        "b.rs": "pub struct B;\npub fn make() -> crate::a::A { crate::a::A(B) }\n",
    },
    # parent <-> child and a test module: no circle.
    "none": {
        "lib.rs": "mod p;\n",
        "p/mod.rs": "mod c;\npub use c::C;\npub struct P;\n#[cfg(test)]\nmod tests {\n    use super::*;\n}\n",
        "p/c.rs": "pub struct C(pub super::P);\n",
    },
}


def self_test() -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        for case, files in SELF_TEST.items():
            for name, text in files.items():
                path = Path(tmp, case, name)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
            found = cycles(Crate(Path(tmp, case, "lib.rs")).edges())
            expected = [[("a",), ("b",)]] if case == "circle" else []
            if found != expected:
                raise SystemExit(f"module-cycles: self-test {case!r} found {found}, expected {expected}")


def main(argv: list[str]) -> int:
    if argv[:1] == ["--self-test"]:
        self_test()
        argv = argv[1:]
    roots = [Path(a).resolve() for a in argv] or [ROOT / r for r in DEFAULT_ROOTS]
    failed = False
    for root in roots:
        crate = Crate(root)
        edges = crate.edges()
        found = cycles(edges)
        label = root.relative_to(ROOT) if root.is_relative_to(ROOT) else root
        if not found:
            print(f"module-cycles: {label}: {len(crate.modules)} modules, {len(edges)} edges between siblings, no circle")
            continue
        failed = True
        for component in found:
            members = set(component)
            print(f"module-cycles: {label}: circle between {', '.join(name(m) for m in component)}:", file=sys.stderr)
            for (a, b), where in sorted(edges.items()):
                if a in members and b in members:
                    print(f"  {name(a)} -> {name(b)}   ({where})", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
