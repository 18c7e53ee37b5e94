"""Page chrome: video players, photo galleries, age banners, CMS tags, share bars, licensing.

Every rule here removes whole standalone lines (or one precise inline pattern: an unrendered
CMS shortcode, a copyright notice closing a line). Marker wording lives in
``cleaners/data/chrome_lines.txt``. Real sentences that mention videos, photos, sharing or
copyright are never touched: a line is chrome only when all of it is the chrome's wording.

Speed: the short lines of a document are classified once (one cached pass, one combined
pattern per line of at most ``MAX_LINE`` characters) and each rule reads its own kind.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache
from importlib import resources
from typing import NamedTuple

from cleaners.core import Doc, Finding
from cleaners.patterns import TEXT_INDEX
from cleaners.registry import register

MAX_LINE = 320
"""Longest line a whole-line rule looks at; article paragraphs are longer or carry prose."""

_DATA = "chrome_lines.txt"
_LINE_KINDS = ("video", "gallery", "image_block", "age", "share", "licensing")


def _read_sections() -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    text = resources.files("cleaners").joinpath("data", _DATA).read_text(encoding="utf-8")
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]") and line[1:-1].replace("_", "").isalpha():
            current = sections.setdefault(line[1:-1], [])
        elif current is not None:
            current.append(line)
    return sections


_META = set("\\[](){}?*+|.^$")


def _leading_literals(pattern: str) -> list[str] | None:
    """Lowercase texts one of which starts every match of ``pattern``; None when unknown.

    Understands a leading literal run, a leading ``(?:a|b|c)`` group of such runs, ``\\d``
    (any digit) and escaped punctuation; anything else returns None (no prefilter).
    """
    if pattern.startswith("(?:"):
        depth, end = 0, -1
        for i, ch in enumerate(pattern):
            if ch == "(" and pattern[i - 1 : i] != "\\":
                depth += 1
            elif ch == ")" and pattern[i - 1 : i] != "\\":
                depth -= 1
                if depth == 0:
                    end = i
                    break
        if end < 0 or pattern[end + 1 : end + 2] in ("?", "*", "{"):
            return None
        branches, depth, piece = [], 0, ""
        for i, ch in enumerate(pattern[3:end]):
            prev = pattern[3 + i - 1] if i else ""
            if ch in "()" and prev != "\\":
                depth += 1 if ch == "(" else -1
            if ch == "|" and depth == 0 and prev != "\\":
                branches.append(piece)
                piece = ""
            else:
                piece += ch
        branches.append(piece)
        out: list[str] = []
        for branch in branches:
            found = _leading_literals(branch)
            if found is None:
                return None
            out.extend(found)
        return out
    if pattern.startswith("\\d"):
        return list("0123456789")
    literal = ""
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern) and not pattern[i + 1].isalnum():
            ch, i = pattern[i + 1], i + 1
        elif ch in _META:
            break
        if pattern[i + 1 : i + 2] in ("?", "*", "{"):
            break
        literal += ch
        i += 1
    return [literal.lower()] if literal else None


class _Markers(NamedTuple):
    line_pattern: re.Pattern[str]
    """Whole-line pattern, one named group per kind."""
    starts: dict[str, tuple[str, ...]]
    """Lowercase beginnings by first character; a line starting with none cannot match."""
    buttons: frozenset[str]
    shortcodes: tuple[str, ...]


_HEAD = 48
"""Characters of a line's beginning compared with ``_Markers.starts``."""


@cache
def _markers() -> _Markers:
    """The combined whole-line pattern, its prefilter, share words and shortcode names."""
    sections = _read_sections()
    groups = "|".join(
        f"(?P<{kind}>{'|'.join(f'(?:{p})' for p in sections[kind])})" for kind in _LINE_KINDS
    )
    starts: set[str] = set()
    for kind in _LINE_KINDS:
        for pattern in sections[kind]:
            found = _leading_literals(pattern)
            if not found:
                raise ValueError(f"chrome pattern without a literal beginning: {pattern!r}")
            starts.update(w[:_HEAD] for w in found)
    return _Markers(
        re.compile(rf"[ \t]*(?:{groups})[ \t]*", re.IGNORECASE),
        {c: tuple(w for w in sorted(starts) if w[0] == c) for c in {w[0] for w in starts}},
        frozenset(w.casefold() for w in sections["share_button"]),
        tuple(sections["shortcode"]),
    )


@cache
def _line_starts(kind: str) -> tuple[str, ...]:
    """What a line ``_classified`` files under ``kind`` opens with, less its indentation (the
    leading literals of the kind's patterns), or for ``share``, a share-button word too: the
    rules' prefilter (``register(..., line_starts=...)``)."""
    _markers()  # refuses a pattern without a literal beginning
    sections = _read_sections()
    starts = {w[:_HEAD] for p in sections[kind] for w in _leading_literals(p) or ()}
    if kind == "share":
        starts |= _markers().buttons
    return tuple(sorted(starts))


class _ShortLines(NamedTuple):
    """The short lines of one text view that look like chrome."""

    kinds: dict[str, list[tuple[int, int]]]
    """Spans of whole lines by kind (``video``, ``gallery``, ``age``, ``share``, ...)."""
    buttons: list[tuple[int, int, int]]
    """(line index, start, end) of lines that are a single share-button word."""


def _stands_alone(text: str, start: int, end: int) -> bool:
    """True when the line ``text[start:end]`` is a paragraph of its own (blank lines around)."""
    before = text.rfind("\n", 0, start)
    if before > 0 and text[before - 1] != "\n":
        return False
    after = text.find("\n", end)
    return after == -1 or after + 1 >= len(text) or text[after + 1] == "\n"


def _classified(doc: Doc) -> _ShortLines:
    """Short lines of ``doc`` by chrome kind; computed once per text view and cached on it."""
    cached = doc.__dict__.get("_chrome_lines")
    if cached is not None:
        return cached
    markers = _markers()
    fullmatch = markers.line_pattern.fullmatch
    starts = markers.starts
    button_words = markers.buttons
    kinds: dict[str, list[tuple[int, int]]] = {k: [] for k in _LINE_KINDS}
    buttons: list[tuple[int, int, int]] = []
    text = doc.text
    for index, (start, end) in enumerate(doc.lines):
        if end - start > MAX_LINE:
            continue
        head = text[start : min(end, start + _HEAD)].lstrip().lower()
        if end - start <= 12 and head.rstrip() in button_words:
            if _stands_alone(text, start, end):
                buttons.append((index, start, end))
        elif head and head.startswith(starts.get(head[0], ())):
            m = fullmatch(text, start, end)
            if m is not None and m.lastgroup is not None and _stands_alone(text, start, end):
                kinds[m.lastgroup].append((start, end))
    result = _ShortLines(kinds, buttons)
    doc.__dict__["_chrome_lines"] = result
    return result


def _whole_lines(doc: Doc, kind: str, reason: str) -> Iterator[Finding]:
    for start, end in _classified(doc).kinds[kind]:
        yield Finding(start, end, f"{reason}: {doc.text[start:end].strip()[:60]!r}")


# --- video players --------------------------------------------------------------------------

_USATODAY_CLOSE = re.compile(r"CLOSE [^\n]{1,600}")


@register("video_chrome_v1", category="chrome", line_starts=(*_line_starts("video"), "close "))
def find_video_chrome(doc: Doc) -> Iterable[Finding]:
    """Video-player chrome standing alone on its line.

    Removes player labels (``Video``, ``YouTube``, ``Replay``, ``Up Next``, ``CLOSE``,
    ``WATCH:``), CNN's ``JUST WATCHED ... Replay More Videos ... MUST WATCH ...`` strip, BBC's
    ``Media playback is unsupported on your device Media caption ...``, The Guardian's
    ``Play Video 1:57 ... – video``, teasers of absent videos (``WATCH: <headline>``) and a
    leading ``CLOSE <video blurb>`` paragraph. Leaves alone: sentences about videos
    ("The video shows ...", "Watch the clip via CNN:"), lines introducing an embed with a colon,
    and anything longer than a short line.
    """
    yield from _whole_lines(doc, "video", "video player chrome")
    lines = doc.lines
    if lines and doc.text.startswith("CLOSE "):
        start, end = lines[0]
        if _USATODAY_CLOSE.fullmatch(doc.text, start, end):
            yield Finding(start, end, "video player blurb opening the text ('CLOSE ...')")


# --- photo galleries ------------------------------------------------------------------------

_SLIDESHOW_STRIP = ("View Slideshow Back Continue", "Up Next Close")


@register(
    "gallery_chrome_v1",
    category="chrome",
    triggers=("View Slideshow", "Hide Caption"),
    line_starts=_line_starts("gallery") + _line_starts("image_block"),
)
def find_gallery_chrome(doc: Doc) -> Iterable[Finding]:
    """Photo-gallery chrome: counters, slideshow labels and a flattened slideshow strip.

    Removes lines such as ``Slideshow (9 Images)``, ``prev next Image 3 of 13``,
    ``View Slideshow``, ``Photo 2 of 5``, ``Expand``, ``Hide caption``, BBC's flattened image
    block ``Image copyright <credit> Image caption <caption>`` (category credit), and a paragraph
    that is a flattened slideshow (captions glued together with ``Up Next Close`` and
    ``View Slideshow Back Continue``), and CNN's gallery paragraphs (``Photos: <title> <caption>
    Hide Caption 1 of 12 ...``). Leaves alone: photo credits and captions on their own
    (the credit rules own those), and any sentence about photos or images.
    """
    yield from _whole_lines(doc, "gallery", "photo gallery chrome")
    for start, end in _classified(doc).kinds["image_block"]:
        yield Finding(start, end, "flattened image block (credit and caption)", "credit")
    text = doc.text
    # the markers are looked up in the view's literal index (one scan for every rule's
    # literals), not searched: most texts hold neither
    held = TEXT_INDEX.present(doc, _GALLERY_MARKERS)
    if "View Slideshow" in held:
        for start, end in doc.paragraphs:
            block = text[start:end]
            if all(marker in block for marker in _SLIDESHOW_STRIP) and end - start <= 4000:
                yield Finding(start, end, "flattened slideshow strip (captions, Up Next, Continue)")
    if "Hide Caption" in held:
        for start, end in doc.paragraphs:
            if _is_caption_slides(text, start, end):
                yield Finding(start, end, "flattened photo gallery ('Photos: ... Hide Caption')")


_GALLERY_MARKERS = ("View Slideshow", "Hide Caption")

_HIDE_CAPTION = re.compile(r"Hide Caption \d{1,3} of \d{1,3}")
_SLIDE_END = re.compile(r"Hide Caption \d{1,3} of \d{1,3}(?: Photos: [^\n]{1,150})?")


def _is_caption_slides(text: str, start: int, end: int) -> bool:
    """A paragraph of gallery slides: ``Photos: <title> <caption> Hide Caption 3 of 12 ...``.

    It must carry the counter and either open with ``Photos:``, end with the counter (and the
    gallery title), or run a counter straight into the next ``Photos:`` title.
    """
    first = _HIDE_CAPTION.search(text, start, end)
    if first is None:
        return False
    if text.startswith("Photos:", start) or text.startswith(" Photos: ", first.end()):
        return True
    last_start = text.rfind("Hide Caption ", start, end)
    return _SLIDE_END.fullmatch(text, last_start, end) is not None


# --- article-age banners --------------------------------------------------------------------

_AGO_LINE = re.compile(r"(?:\d{1,2}|an?|one) (?:years?|months?|weeks?|days?|hours?) ago")


@register("age_banner_v1", category="chrome", triggers=(" ago",), line_starts=_line_starts("age"))
def find_age_banner(doc: Doc) -> Iterable[Finding]:
    """Banners telling the age of the article.

    Removes ``This article is more than 2 years old`` (and its repeats), ``This article was
    published more than 3 years ago``, archive notices, and a bare ``6 years ago`` when it is
    the very first line. Leaves alone: "ago" inside sentences ("Five years ago, we were..."),
    a bare "... ago" line anywhere but the top, ``Updated at 6:21 p.m. ET`` stamps and
    ``This article was originally published ...`` notes (republication credits are content).
    """
    yield from _whole_lines(doc, "age", "article-age banner")
    lines = doc.lines
    if lines and " ago" in doc.text[: lines[0][1]]:
        start, end = lines[0]
        if _AGO_LINE.fullmatch(doc.text[start:end].strip()):
            yield Finding(start, end, "article-age stamp heading the text")


# --- unrendered CMS tags and script residue -------------------------------------------------


@cache
def _shortcode_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    names = "|".join(re.escape(n) for n in sorted(_markers().shortcodes, key=len, reverse=True))
    # [name attr="x" ...] with at least one "=" in the attributes, or a closing [/name]
    tagged = re.compile(
        rf"\[(?:(?:{names})[ \t][^\[\]\n=]{{0,80}}=[^\[\]\n]{{0,400}}|/(?:{names}))\]"
    )
    # [caption ...]text[/caption]: the wrapped caption goes with the tags
    paired = re.compile(
        r"\[(caption|embed|video|audio|gallery|embedtweet|tweet|youtube)\b[^\[\]\n]{0,400}\]"
        r"[^\[\]\n]{0,1000}\[/\1\]"
    )
    bare = re.compile(rf"[ \t]*\[(?:{names})\][ \t]*")
    return paired, tagged, bare


def _with_one_space(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen an inline span by one space when spaces flank it, so no double space remains."""
    if start > 0 and end < len(text) and text[start - 1] == " " and text[end] in " .,;:!?":
        return start - 1, end
    return start, end


@register("cms_shortcode_v1", category="chrome", triggers=("[",))
def find_cms_shortcode(doc: Doc) -> Iterable[Finding]:
    """Unrendered CMS shortcodes.

    Removes ``[caption id="..." ...]<caption>[/caption]`` and ``[embed]<url>[/embed]`` whole,
    tags with attributes (``[embedtweet id="466..."]``, ``[youtube url=...]``) and closing tags
    wherever they stand, and a bare ``[pullquote]``, ``[image]``, ``[embedded content]`` when
    it is the whole line. Leaves alone: editorial brackets in quotes (``[the president]``,
    ``[sic]``, ``[Ryan]``, ``[video here]``), uppercase labels (``[WATCH]``), ``[email
    protected]`` (it stands for an address inside a sentence) and bare tags inside a sentence.
    """
    text = doc.text
    if "[" not in text:
        return
    paired, tagged, bare = _shortcode_patterns()
    taken: list[tuple[int, int]] = []
    for m in paired.finditer(text):
        taken.append(m.span())
        start, end = _with_one_space(text, m.start(), m.end())
        yield Finding(start, end, f"unrendered CMS shortcode block [{m.group(1)}]")
    for m in tagged.finditer(text):
        if not any(s <= m.start() < e for s, e in taken):
            start, end = _with_one_space(text, m.start(), m.end())
            yield Finding(start, end, f"unrendered CMS shortcode {m.group(0)[:40]!r}")
    held = TEXT_INDEX.present(doc, _SHORTCODE_MARKERS)  # the view's literal index
    if "]\n" in held or text.endswith("]"):
        for start, end in doc.lines:
            if text[end - 1] == "]" and end - start <= 60 and bare.fullmatch(text, start, end):
                yield Finding(start, end, f"bare CMS shortcode line {text[start:end].strip()!r}")
    if "[embedded content]" in held:
        for m in re.finditer(r"\[embedded content\]", text):
            yield Finding(m.start(), m.end(), "placeholder of an embed ([embedded content])")


_SHORTCODE_MARKERS = ("]\n", "[embedded content]")

_MARKUP_LINE = re.compile(r"[ \t]*(?:<!-{1,2}|<!–|//-{1,2}>|//–>|-{1,2}>|/\* ?\]\]> ?\*/)[ \t]*")
_TAG_LINE = re.compile(r"[ \t]*(?:</?[a-zA-Z][a-zA-Z0-9]{0,10}(?: [^<>\n]{0,200})?/?>[ \t]*)+")
_CODE_CHARS = frozenset("{}();=+[]<>/*'’”\"")


def _looks_like_code(line: str) -> bool:
    """Script residue: braces with a call or assignment, and few letters between symbols."""
    if "){" not in line and "}}" not in line and "]]>" not in line:
        return False
    symbols = sum(1 for ch in line if ch in _CODE_CHARS)
    spaces = line.count(" ")
    return symbols >= 8 and symbols * 5 >= len(line) and spaces * 8 < len(line)


@register("script_residue_v1", category="chrome", triggers=("{", "<", ">"))
def find_script_residue(doc: Doc) -> Iterable[Finding]:
    """Leftovers of scripts and HTML comments flattened into the text.

    Removes lines that are only comment markers (``<!--``, ``//-->``, ``/* ]]> */``), lines of
    bare HTML tags, and lines of minified script (``...catch(e){}})(document);``) dense in
    braces and operators with almost no spaces. Leaves alone: prose mentioning code, arrows
    inside sentences ("Stunning --> Team Clinton ..."), math and URLs.
    """
    text = doc.text
    # single characters: each check is one memchr over the text
    if "{" not in text and "<" not in text and ">" not in text:
        return
    for start, end in doc.lines:
        line = text[start:end]
        if len(line) > 2000 or ("{" not in line and "<" not in line and ">" not in line):
            continue
        if _MARKUP_LINE.fullmatch(line) or (
            "<" in line and line.rstrip().endswith(">") and _TAG_LINE.fullmatch(line)
        ):
            yield Finding(start, end, f"markup left in the text: {line.strip()[:40]!r}")
        elif _looks_like_code(line):
            yield Finding(start, end, "minified script left in the text")


# --- share bars -----------------------------------------------------------------------------


@register("share_bar_v1", category="chrome", line_starts=_line_starts("share"))
def find_share_bar(doc: Doc) -> Iterable[Finding]:
    """Share-this-story bars.

    Removes ``SHARE THIS ARTICLE Share Tweet Post Email`` (with ``LISTEN TO ARTICLE 3:05``),
    ``Share this: Pocket``, ``Share All sharing options for: <title>``, ``Read or Share this
    story: <url>``, ``Share on Facebook``, and runs of two or more share-button words on
    adjacent lines (``Twitter`` / ``Flipboard`` / ``WhatsApp`` / ``Email``), or one next to a
    share line. Leaves alone: a lone ``Email`` or ``Twitter`` line, sentences about sharing
    ("did not share our values"), and contact lines with an address.
    """
    classified = _classified(doc)
    yield from _whole_lines(doc, "share", "share bar")
    if not classified.buttons:
        return
    share_lines = {s for s, _ in classified.kinds["share"]}
    lines = doc.lines
    text = doc.text
    run: list[tuple[int, int, int]] = []

    def flush() -> Iterator[Finding]:
        if not run:
            return
        first, last = run[0][0], run[-1][0]
        before = lines[first - 1] if first > 0 else None
        after = lines[last + 1] if last + 1 < len(lines) else None
        beside_share = (before is not None and before[0] in share_lines) or (
            after is not None and after[0] in share_lines
        )
        ends_share = before is not None and text[before[0] : before[1]].rstrip().endswith(
            tuple(f"Share this: {w}" for w in ("Facebook", "Twitter", "Pocket", "Email"))
        )
        if len(run) >= 2 or beside_share or ends_share:
            for _, s, e in run:
                yield Finding(s, e, f"share button {text[s:e].strip()!r}")

    for item in classified.buttons:
        if run and item[0] != run[-1][0] + 1:
            yield from flush()
            run = []
        run.append(item)
    yield from flush()


# --- licensing lines ------------------------------------------------------------------------

_TRAILING_COPYRIGHT = re.compile(
    r"(?<=[.!?”\"]) (?:Copyright ?)?© ?(?:Copyright )?\d{4}\b[^\n]{0,120}$", re.MULTILINE
)


@register("licensing_v1", category="footer", triggers=("©",), line_starts=_line_starts("licensing"))
def find_licensing(doc: Doc) -> Iterable[Finding]:
    """Copyright and licensing notices of the publisher or syndicate.

    Removes standalone lines such as ``Copyright © 2019 The Washington Times, LLC. Click here
    for reprint permission.``, ``© 2019 Tribune Content Agency, LLC``, ``Copyright 2019 The
    Associated Press. All rights reserved. This material may not be published, broadcast,
    rewritten or redistributed.``, ``All rights reserved.``, and a ``Copyright © 2019 King
    Features Syndicate`` closing a bio line (only the notice goes). Leaves alone: sentences about
    copyright or licences, ``Image copyright AFP`` photo credits, contributor notes ("The
    Associated Press contributed to this report.") and republication notes.
    """
    yield from _whole_lines(doc, "licensing", "licensing notice")
    # A notice holds a "©" and lies within its line, which it ends: only the lines holding one
    # are searched (the pattern opens with a lookbehind, which re tries at every position).
    # Each line holds at most one notice, the leftmost (what finditer over the text found).
    text = doc.text
    pos = text.find("©")
    while pos >= 0:
        line_start = text.rfind("\n", 0, pos) + 1
        line_end = text.find("\n", pos)
        if line_end < 0:
            line_end = len(text)
        m = _TRAILING_COPYRIGHT.search(text, line_start, line_end)
        if m is not None:
            yield Finding(m.start(), m.end(), "copyright notice closing a line")
        pos = text.find("©", line_end)


RULES: tuple[str, ...] = (
    "cms_shortcode_v1",
    "script_residue_v1",
    "video_chrome_v1",
    "gallery_chrome_v1",
    "age_banner_v1",
    "share_bar_v1",
    "licensing_v1",
)
"""Names this module registers, in the order they run in the default chain."""
