"""A stdout that cannot show every character (a Windows pipe in cp1252, `LC_ALL=C` with
`PYTHONUTF8=0`): what is meant for people is shown with the nearest character the encoding
has, and stderr says so once, instead of a `UnicodeEncodeError` traceback.

Machine formats (JSON, CSV, HTML, SVG, JUnit XML) never go through this: `emit.write`
sends them to stdout as the UTF-8 bytes `-o` writes, since a replaced character would
change a name or a figure.
"""

from __future__ import annotations

import codecs
import sys
import unicodedata

HANDLER = "bekostiging.nearest"
NOTE = (
    "note: stdout's encoding ({encoding}) cannot show every character; the nearest it has"
    " is shown instead, or '?' (PYTHONIOENCODING=utf-8 shows them all)"
)
_UNICODE = frozenset(
    {"utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"}
)
# One character for one, so that the columns of a table stay where they are.
_SIMILAR = {
    "\u2212": "-",  # minus sign
    "\u2013": "-",
    "\u2014": "-",
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2026": ".",
    "\u00d7": "x",
    "\u0394": "D",  # Δ, as in "Δ saldo"
    "\u20ac": "E",  # €
    "\u2265": ">",
    "\u2264": "<",
    "\u00b7": ".",
    "\u2022": "*",
    "\u00a0": " ",
    "\u202f": " ",
}
_state = {"encoding": "", "said": False}


def guard() -> None:
    """Let stdout show what it cannot encode as the nearest character (and say so once on
    stderr) when its encoding is not a Unicode one and nobody chose how to handle errors
    (`PYTHONIOENCODING=cp1252:replace` is a choice, and is left alone)."""
    stream = sys.stdout
    encoding = getattr(stream, "encoding", None)
    chosen = getattr(stream, "errors", None)  # the C locale's own is surrogateescape
    if not encoding or not hasattr(stream, "reconfigure") or chosen not in {"strict", "surrogateescape"}:
        return
    try:
        if codecs.lookup(encoding).name in _UNICODE:
            return
    except LookupError:
        return
    codecs.register_error(HANDLER, _nearest)
    _state.update(encoding=encoding, said=False)
    stream.reconfigure(errors=HANDLER)


def _nearest(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    if not _state["said"]:
        _state["said"] = True
        sys.stderr.write(NOTE.format(encoding=_state["encoding"] or exc.encoding) + "\n")
        sys.stderr.flush()
    return "".join(_one(ch, exc.encoding) for ch in exc.object[exc.start : exc.end]), exc.end


def _one(char: str, encoding: str) -> str:
    """`char` as the encoding can show it: a look-alike, a box line as `-`, `|` or `+`, a
    letter without its accent (`ë` as `e`), else `?`."""
    name = unicodedata.name(char, "")
    plain = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    for candidate in (_SIMILAR.get(char), _drawn(name), plain if len(plain) == 1 else None):
        if candidate:
            try:
                candidate.encode(encoding)
            except UnicodeEncodeError:
                continue
            return candidate
    return "?"


def _drawn(name: str) -> str | None:
    if name.startswith("BOX DRAWINGS"):
        across, down = "HORIZONTAL" in name, "VERTICAL" in name
        return "-" if across and not down else "|" if down and not across else "+"
    if "BLOCK" in name or "SHADE" in name:
        return "#"
    return None
