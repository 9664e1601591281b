"""The pages and the text of a PDF that Chromium prints, read without a PDF library.

The print test needs two facts from a PDF: how many pages it has, and whether a table's column
headers are in its text. Neither pypdf nor poppler's pdftotext is installed by the project's test
command, and the PDFs are always Chromium's (Skia's): PDF 1.4 with a classic cross-reference table,
Flate-compressed content streams, and fonts with a ``ToUnicode`` map. That is a small, fixed subset,
so it is read here: the page tree gives the pages in order; each page's content stream (and every
form it draws) gives its text operators; each font's ``ToUnicode`` map turns glyph codes into
characters. Anything outside the subset raises instead of reading wrong.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field

_TOKEN = re.compile(
    rb"\s*(?:(?P<dict><<|>>)|(?P<hex><[0-9A-Fa-f\s]*>)|(?P<str>\((?:\\.|[^\\()]|\([^()]*\))*\))|(?P<arr>[\[\]])"
    rb"|(?P<name>/[^\s/\[\]()<>{}%]*)|(?P<num>[+-]?(?:\d+\.?\d*|\.\d+))|(?P<op>[A-Za-z'\"*]+[0-9]?))",
    re.S,
)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _literal(raw: bytes) -> bytes:
    """A PDF literal string's bytes, its escapes undone."""
    out, i = bytearray(), 0
    while i < len(raw):
        c = raw[i : i + 1]
        if c != b"\\":
            out += c
            i += 1
            continue
        nxt = raw[i + 1 : i + 2]
        octal = re.match(rb"[0-7]{1,3}", raw[i + 1 : i + 4])
        if octal:
            out.append(int(octal.group(0), 8) & 0xFF)
            i += 1 + len(octal.group(0))
        else:
            out += _ESCAPES.get(nxt, nxt)
            i += 2
    return bytes(out)


@dataclass
class _Font:
    width: int  # bytes per glyph code: 2 for Identity-H (Type0), 1 for a simple font
    chars: dict[int, str] = field(default_factory=dict)

    def decode(self, data: bytes) -> str:
        codes = [int.from_bytes(data[i : i + self.width], "big") for i in range(0, len(data), self.width)]
        return "".join(self.chars.get(code, "\ufffd") for code in codes)


class Pdf:
    """A PDF as Chromium writes it: its pages, in order, and the text of each."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.offsets = self._xref()
        trailer = data[data.rindex(b"trailer") :]
        root = self._ref(trailer, b"Root")
        self.pages = list(self._leaves(self._ref(self.dictionary(root), b"Pages")))
        self._fonts: dict[int, _Font] = {}

    def _xref(self) -> dict[int, int]:
        start = int(re.search(rb"startxref\s+(\d+)", self.data[-64:]).group(1))  # type: ignore[union-attr]
        if not self.data.startswith(b"xref", start):
            raise ValueError("not a classic cross-reference table: not a PDF this reader knows")
        offsets, pos = {}, start + 4
        while True:
            section = re.compile(rb"\s*(\d+) (\d+)\s*\n").match(self.data, pos)
            if not section:
                break
            first, count = int(section.group(1)), int(section.group(2))
            pos = section.end()
            for k in range(count):
                entry = self.data[pos + 20 * k : pos + 20 * k + 20]
                if entry[17:18] == b"n":
                    offsets[first + k] = int(entry[:10])
            pos += 20 * count
        return offsets

    def _object(self, number: int) -> bytes:
        """The object's bytes from after ``N 0 obj``: its dictionary and, for a stream, what follows it."""
        start = self.offsets[number]
        header = re.compile(rb"\d+ \d+ obj\s*").match(self.data, start)
        if not header:
            raise ValueError(f"object {number} is not where the cross-reference table says")
        return self.data[header.end() :]

    def dictionary(self, number: int) -> bytes:
        """The object's dictionary text (up to its stream or its end)."""
        body = self._object(number)
        end = min(i for i in (body.find(b"stream"), body.find(b"endobj")) if i >= 0)
        return body[:end]

    def stream(self, number: int) -> bytes:
        body = self._object(number)
        head = body[: body.index(b"stream")]
        length_ref = re.search(rb"/Length (\d+) 0 R", head)
        length = (
            int(self.dictionary(int(length_ref.group(1))).strip())
            if length_ref
            else int(re.search(rb"/Length (\d+)", head).group(1))  # type: ignore[union-attr]
        )
        start = body.index(b"stream") + len(b"stream")
        start += 2 if body[start : start + 2] == b"\r\n" else 1
        raw = body[start : start + length]
        if b"/Filter" not in head:
            return raw
        if not re.search(rb"/Filter\s*/FlateDecode", head):
            raise ValueError(f"object {number}: a filter this reader does not know")
        return zlib.decompress(raw)

    @staticmethod
    def _ref(text: bytes, key: bytes) -> int:
        found = re.search(rb"/" + key + rb"\s+(\d+) 0 R", text)
        if not found:
            raise ValueError(f"no /{key.decode()} reference")
        return int(found.group(1))

    def _leaves(self, number: int) -> Iterator[int]:
        node = self.dictionary(number)
        if re.search(rb"/Type\s*/Pages\b", node):
            kids = re.search(rb"/Kids\s*\[(.*?)\]", node, re.S).group(1)  # type: ignore[union-attr]
            for kid in re.findall(rb"(\d+) 0 R", kids):
                yield from self._leaves(int(kid))
        else:
            yield number

    def _resources(self, owner: bytes) -> dict[bytes, dict[bytes, int]]:
        """Fonts and XObjects by name, from an inline ``/Resources`` dictionary or a referenced one."""
        ref = re.search(rb"/Resources\s+(\d+) 0 R", owner)
        text = self.dictionary(int(ref.group(1))) if ref else owner
        out: dict[bytes, dict[bytes, int]] = {}
        for kind in (b"Font", b"XObject"):
            block = re.search(rb"/" + kind + rb"\s*<<(.*?)>>", text, re.S)
            pairs = re.findall(rb"/([^\s/]+)\s+(\d+) 0 R", block.group(1)) if block else []
            out[kind] = {name: int(n) for name, n in pairs}
        return out

    def _font(self, number: int) -> _Font:
        if number not in self._fonts:
            font = self.dictionary(number)
            width = 2 if re.search(rb"/Subtype\s*/Type0", font) else 1
            parsed = _Font(width)
            ref = re.search(rb"/ToUnicode\s+(\d+) 0 R", font)
            if ref:
                cmap = self.stream(int(ref.group(1)))
                for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
                    for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                        parsed.chars[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
                for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
                    for lo, hi, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]+>|\[.*?\])",
                                                  block, re.S):  # fmt: skip
                        targets = re.findall(rb"<([0-9A-Fa-f]+)>", dst)
                        for k, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                            if dst.startswith(b"["):
                                text = bytes.fromhex(targets[k].decode()).decode("utf-16-be")
                            else:
                                base = bytes.fromhex(targets[0].decode())
                                text = (base[:-2] + (int.from_bytes(base[-2:], "big") + k).to_bytes(2, "big")).decode(
                                    "utf-16-be"
                                )
                            parsed.chars[code] = text
            self._fonts[number] = parsed
        return self._fonts[number]

    def text(self, page: int) -> str:
        """The text of page ``page`` (0-based), in the order it is drawn; each positioned run on a line."""
        number = self.pages[page]
        node = self.dictionary(number)
        contents = re.search(rb"/Contents\s*(\[.*?\]|\d+ 0 R)", node, re.S).group(1)  # type: ignore[union-attr]
        parts = [self.stream(int(n)) for n in re.findall(rb"(\d+) 0 R", contents)]
        return self._run(b"\n".join(parts), self._resources(node), depth=0)

    def _run(self, content: bytes, resources: dict[bytes, dict[bytes, int]], depth: int) -> str:
        out: list[str] = []
        stack: list[object] = []
        arrays: list[list[object]] = []
        font: _Font | None = None
        line_y: object = None  # the y of the current line, as the last Tm set it
        pos = 0
        while pos < len(content):
            match = _TOKEN.match(content, pos)
            if not match or match.end() == pos:
                if content[pos:].strip():
                    raise ValueError(f"content stream: cannot read {content[pos : pos + 20]!r}")
                break
            pos = match.end()
            kind, value = match.lastgroup, match.group(match.lastgroup or 0)
            item: object
            if kind == "dict":
                continue  # marked-content property lists: their keys and values are not text
            if kind == "arr":
                if value == b"[":
                    arrays.append([])
                else:
                    done = arrays.pop()
                    (arrays[-1] if arrays else stack).append(done)
                continue
            if kind == "hex":
                item = bytes.fromhex(re.sub(rb"\s", b"", value[1:-1]).decode())
            elif kind == "str":
                item = _literal(value[1:-1])
            elif kind == "num":
                item = float(value)
            elif kind == "name":
                item = value[1:]
            else:
                op = value
                if op == b"Tf" and len(stack) >= 2 and isinstance(stack[-2], bytes):
                    font = self._font(resources[b"Font"][stack[-2]])
                elif op in (b"Tj", b"'", b'"') and font and stack and isinstance(stack[-1], bytes):
                    out.append(font.decode(stack[-1]))
                elif op == b"TJ" and font and stack and isinstance(stack[-1], list):
                    for piece in stack[-1]:
                        if isinstance(piece, bytes):
                            out.append(font.decode(piece))
                        elif isinstance(piece, float) and piece < -250:
                            out.append(" ")  # a gap wider than a quarter of the type size reads as a space
                elif op == b"Tm" and len(stack) >= 6 and isinstance(stack[-1], float):
                    # A run placed afresh: a new line when it is lower or higher, else a new word.
                    out.append(" " if line_y == stack[-1] else "\n")
                    line_y = stack[-1]
                elif (op in (b"Td", b"TD") and len(stack) >= 2 and stack[-1] != 0.0) or op == b"T*":
                    out.append("\n")
                    line_y = None
                elif op == b"Do" and stack and isinstance(stack[-1], bytes) and depth < 8:
                    ref = resources[b"XObject"].get(stack[-1])
                    if ref is not None and re.search(rb"/Subtype\s*/Form", self.dictionary(ref)):
                        form = self.dictionary(ref)
                        inner = self._resources(form) if b"/Resources" in form else resources
                        out.append("\n" + self._run(self.stream(ref), inner, depth + 1) + "\n")
                stack.clear()
                continue
            (arrays[-1] if arrays else stack).append(item)
        return re.sub(r"\n\s*\n+", "\n", "".join(out)).strip()
