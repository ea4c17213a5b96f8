"""HTML pages: saved government-site pages, Word-exported HTML, crawler dumps.

The page is decoded (BOM, declared charset, else detected — many pages are GBK with
no declaration), parsed with lxml and walked in document order:

* every data table (a table with no table inside it) is expanded into a grid that
  honours ``rowspan``/``colspan``; each real cell becomes one piece, a position
  covered by a span becomes nothing, so a group label spanning ten rows is read
  once. An empty cell (``&nbsp;``, Word's ``<o:p> </o:p>``) is a blank cell piece;
* the text of one cell is joined across the spans, ``<font>`` and ``<p>`` Word
  splits it into (``申请人情`` + ``况``, a header written one character per ``<p>``),
  except that two ``<p>`` holding digits stay separate numbers;
* text outside data tables becomes one piece per block element (headings,
  narrative, the cells of layout tables), so headings come in reading order;
* scripts, styles, comments and other invisible parts are dropped.

``_Walker`` below is that reading written out in Python: the reference. Pages are read by
``_html_xslt`` instead, which gets the same pieces with libxslt doing the walk (a step in
Python per element made the walk cost more than the parse); the walker reads the rare page
the stylesheet cannot (see ``_html_xslt.fits``). Valid UTF-8 — nearly every page — is
parsed as it is; only other bytes are decoded and re-encoded first.
"""
from __future__ import annotations

import codecs
import re
import threading

from lxml import etree

from ._atoms import Piece
from ._decode import decode

# Elements whose content is never visible text.
_DROP = {"script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "math", "select",
         "textarea", "head", "title", "meta", "link", "canvas", "audio", "video", "map", "xml"}
# Elements that start a new line of text (a new piece outside tables).
_BLOCKS = {"p", "div", "br", "hr", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
           "section", "article", "header", "footer", "nav", "aside", "main", "blockquote", "pre", "address",
           "figure", "figcaption", "caption", "table", "tr", "td", "th", "thead", "tbody", "tfoot", "form",
           "fieldset", "center", "body", "html", "details", "summary"}
_CELLS = ("td", "th")
_MAX_SPAN = 1000  # a span larger than any real table is a typo, not a reason to allocate a huge grid
_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.\-]+)""", re.I)
_SPACE = re.compile(r"[ \t\r\n\f\v\u00a0\u2002\u2003\u2009\u200b\u3000\ufeff]+")


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares: byte-order mark, ``<meta charset>``, or the XML declaration."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8"
    head = data[:8192]
    m = _CHARSET.search(head) or _XML_ENCODING.search(head)
    return m.group(1).decode("ascii", "replace") if m else None


def decode_html(data: bytes) -> str:
    """The page as text; ``_decode.decode`` settles a wrong or missing declaration."""
    return decode(data, declared_charset(data))


_NAMES: dict = {}  # lxml tag → lower-case local name; a page uses a few dozen tag names


def _tag(el) -> str:
    tag = el.tag
    name = _NAMES.get(tag)
    if name is None:
        # comments, processing instructions and entities have a non-string tag: no name
        name = tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""
        if len(_NAMES) < 10_000:  # a page inventing tag names cannot grow the table without end
            _NAMES[tag] = name
    return name


def _span(value: str) -> int:
    """A rowspan or colspan attribute as a number: typos ("2;", "abc", "0", "5000") read sanely."""
    if value.isdecimal():  # the usual "2": nothing to strip
        return min(max(int(value), 1), _MAX_SPAN)
    try:
        n = int(re.sub(r"[^\d]", "", value or "1") or 1)
    except ValueError:
        return 1
    return min(max(n, 1), _MAX_SPAN)


def _clean(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


# Marks a line break while an element's text is gathered; lxml text never holds NUL.
_BREAK = "\x00"
# What an element is to the visible text, by its lxml tag: inline, a block (it starts a
# line) or skipped (invisible, or not an element). A dict lookup per node instead of
# normalising the tag name and testing two sets.
_INLINE, _BLOCK, _SKIP = 0, 1, 2
_KINDS: dict = {}


def _kind(tag) -> int:
    kind = _KINDS.get(tag)
    if kind is None:
        name = tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""
        kind = _SKIP if not name or name in _DROP else _BLOCK if name in _BLOCKS else _INLINE
        if len(_KINDS) < 10_000:  # a page inventing tag names cannot grow the table without end
            _KINDS[tag] = kind
    return kind


def _gather(node, parts: list[str]) -> None:
    """Append the visible text under ``node`` (not its tail) to ``parts``, ``_BREAK`` around blocks."""
    kind = _KINDS.get(node.tag)
    if kind is None:
        kind = _kind(node.tag)
    if kind == _SKIP:
        return
    if kind:
        parts.append(_BREAK)
    if node.text:
        parts.append(node.text)
    for child in node:
        if len(child):
            _gather(child, parts)
        else:  # a leaf (the usual <span>, <o:p>, <br>): no call needed
            kind_ = _KINDS.get(child.tag)
            if kind_ is None:
                kind_ = _kind(child.tag)
            if kind_ != _SKIP:
                if kind_:
                    parts.append(_BREAK)
                if child.text:
                    parts.append(child.text)
                if kind_:
                    parts.append(_BREAK)
        if child.tail:
            parts.append(child.tail)
    if kind:
        parts.append(_BREAK)


def _lines(el) -> list[str]:
    """The visible text of an element as lines: block elements and ``<br>`` start a line."""
    parts: list[str] = []
    _gather(el, parts)
    # One substitution for the whole text: _BREAK is not white space, so no run crosses it
    # and each part comes out as ``_clean`` would make it (once stripped).
    lines = []
    for part in _SPACE.sub(" ", "".join(parts)).split(_BREAK):
        line = part.strip()
        if line:
            lines.append(line)
    return lines


def join_lines(lines: list[str]) -> str:
    """One cell's lines as one text: words run on (``商业`` + ``企业``) but numbers stay apart."""
    out = ""
    for line in lines:
        if out and out[-1].isdigit() and line[0].isdigit():
            out += " "
        out += line
    return out


class _Walker:
    """Collects pieces (and the page text) from a parsed document in reading order."""

    def __init__(self) -> None:
        self.pieces: list[Piece] = []
        self.lines: list[str] = []
        self.buf: list[str] = []
        self.tables = 0
        self.blocks = 0

    def flush(self) -> None:
        if not self.buf:
            return
        text = _clean("".join(self.buf))
        self.buf.clear()
        if text:
            self.blocks += 1
            self.pieces.append(Piece(text, f"html block {self.blocks}"))
            self.lines.append(text)

    def walk(self, root) -> None:
        # An explicit stack instead of recursion: pages nest deeply and must never overflow.
        # An entry is (node, None) to open it, or (node, tag) to close it.
        buf = self.buf
        stack: list[tuple[object, str | None]] = [(root, None)]
        while stack:
            node, closing = stack.pop()
            if closing is not None:
                if closing in _BLOCKS:
                    self.flush()
                if node is not root and node.tail:
                    buf.append(node.tail)
                continue
            tag = _tag(node)
            if not tag or tag in _DROP:
                if node is not root and node.tail:
                    buf.append(node.tail)
                continue
            if tag == "table" and not _has_inner_table(node):
                self.flush()
                self.table(node)
                if node.tail:
                    buf.append(node.tail)
                continue
            if tag in _BLOCKS:
                self.flush()
            if node.text:
                buf.append(node.text)
            stack.append((node, tag))
            if len(node):
                stack.extend((child, None) for child in reversed(node))
        self.flush()

    def table(self, table) -> None:
        """Expand a data table into its grid; one piece per real cell, none for spanned positions."""
        self.tables += 1
        for caption in table.iter("caption"):
            self.buf.append(_text_content(caption))
            self.flush()
        rows = list(table.iter("tr"))
        pieces, lines = self.pieces, self.lines
        _new = tuple.__new__  # Piece without its Python-level __new__: one per cell
        # Grid positions of later rows covered by a rowspan. A cell's own row needs no entry:
        # the cells after it in that row start past its columns anyway.
        taken: set[tuple[int, int]] = set()
        for r, tr in enumerate(rows):
            c, texts = 0, []
            row = f"html table {self.tables}, row {r + 1}"
            col = row + ", col "
            for cell in tr:
                tag = cell.tag
                if tag != "td" and tag != "th" and _tag(cell) not in _CELLS:
                    continue
                if taken:
                    while (r, c) in taken:
                        c += 1
                span = cell.get("rowspan")
                rs = 1 if span is None else min(_span(span), len(rows) - r)
                span = cell.get("colspan")
                cs = 1 if span is None else _span(span)
                if rs > 1:
                    taken.update((r + i, c + j) for i in range(1, rs) for j in range(cs))
                if len(cell):
                    text = join_lines(_lines(cell))
                else:  # the usual cell: text only
                    text = cell.text
                    if text is None:
                        text = ""
                    elif " " in text or not text.isprintable():
                        # (printable text without a space holds no white space: nothing to clean)
                        text = _clean(text)
                pieces.append(_new(Piece, (text, col + str(c + 1), True, False, row)))
                texts.append(text)
                c += cs
            if any(texts):
                lines.append("\t".join(texts))


def _has_inner_table(table) -> bool:
    return next(table.iterdescendants("table"), None) is not None


# A plain lxml parser, not lxml.html's: lxml.html looks up a Python element class for
# every element touched, which cost more than the parse itself; nothing here needs its
# element methods (``_text_content`` is the XPath ``text_content()`` itself runs).
_PARSERS = threading.local()  # one parser per thread: an lxml parser is not thread-safe
_text_content = etree.XPath("string()")


def _parser():
    parser = getattr(_PARSERS, "parser", None)
    if parser is None:
        # huge_tree: libxml2 otherwise stops at 256 nested elements and drops the rest of the
        # page (CMS templates can nest deep); 2,048 with it. Inputs are capped at 50 MB anyway.
        parser = _PARSERS.parser = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True,
                                                    huge_tree=True)
    return parser


def _parse(utf8: bytes):
    try:
        return etree.fromstring(utf8, _parser())
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None  # also None for a document with no elements (lxml.html raised "Document is empty")


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _parse_page(data: bytes) -> tuple[object, bytes]:
    """The parsed page and the UTF-8 bytes it was parsed from.

    Valid UTF-8 without a byte-order mark decodes and re-encodes to itself, so it is parsed
    as it is: libxml2 checks the encoding as it parses (as strictly as Python's decoder) and
    says so in the error log. Real pages log other things too (a repeated ``id``, a stray
    end tag): then Python's decoder settles whether the bytes are UTF-8 — far cheaper than
    parsing again — and only a page that is not is decoded the long way.
    """
    if not data.startswith(codecs.BOM_UTF8):
        doc = _parse(data)
        if not _parser().error_log or _is_utf8(data):
            return doc, data
    utf8 = decode_html(data).encode("utf-8", "replace")
    return _parse(utf8), utf8


def _title(doc) -> str:
    found = next(doc.iterdescendants("title"), None)
    if found is None:
        return ""
    # the parser keeps <title> text only (no child elements): .text is its whole text
    return _clean((found.text or "") if not len(found) else _text_content(found))


def html_pieces(data: bytes) -> tuple[list[Piece], str]:
    """The pieces of an HTML page in reading order, and its plain text (title first)."""
    doc, utf8 = _parse_page(data)
    if doc is None:
        return [], ""
    title = _title(doc)
    from . import _html_xslt  # (it builds on this module's vocabulary)
    if _html_xslt.fits(utf8):
        pieces, lines = _html_xslt.extract(doc)
    else:
        walker = _Walker()
        body = doc.find("body")
        walker.walk(body if body is not None else doc)
        pieces, lines = walker.pieces, walker.lines
    return pieces, "\n".join(([title] if title else []) + lines)
