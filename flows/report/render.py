"""HTML for the review report: page shells, one document with its removals marked, the index.

Every piece of scraped content goes through :func:`esc` (text and attributes) or
:func:`json_for_html` (data embedded in the page). The only scripts are our own, inlined and
allowed by their hash in a Content-Security-Policy meta tag; nothing is loaded from anywhere.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import quote, urlsplit

from cleaners.core import CATEGORIES
from flows.decisions import fingerprint
from flows.review import PUBLISHABLE, is_held

KNOWN_CATEGORIES = frozenset(CATEGORIES)
EXCERPT_CHARS = 90


def esc(value: object) -> str:
    """Text or attribute value, escaped for HTML (quotes included)."""
    return html.escape("" if value is None else str(value), quote=True)


def json_for_html(value: Any) -> str:
    """JSON that is safe inside ``<script type="application/json">`` (no ``<``, ``>``, ``&``)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def category_class(category: object) -> str:
    """CSS class suffix for a category; unknown or odd names share one colour."""
    name = str(category or "")
    return name if name in KNOWN_CATEGORIES else "other"


def chip(category: object) -> str:
    """A small label in the category's colour."""
    return f'<span class="chip c-{category_class(category)}">{esc(category)}</span>'


def safe_href(url: object) -> str | None:
    """``url`` when it is a plain http(s) link, else None (never a ``javascript:`` link)."""
    if not isinstance(url, str) or not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


@cache
def asset(name: str) -> str:
    """One of the report's own CSS or JS files, shipped inside the package."""
    return resources.files("flows.report").joinpath(name).read_text(encoding="utf-8")


def _sha256_source(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def page(title: str, body: str, script_name: str | None, body_attrs: str = "") -> Iterator[str]:
    """A complete, self-contained page; ``body`` is already-escaped HTML."""
    yield from page_head(title, script_name, body_attrs)
    yield body
    yield from page_tail(script_name)


def page_head(
    title: str, script_name: str | None, body_attrs: str = "", *, load_scripts: bool = False
) -> Iterator[str]:
    """The page up to ``<body>``. ``load_scripts``: our inline script may add script elements
    (the index loads its row shards, files beside it, that way: ``'strict-dynamic'``)."""
    css = asset("report.css")
    script_src = _sha256_source(asset(script_name)) if script_name else "'none'"
    if script_name and load_scripts:
        script_src += " 'strict-dynamic'"
    csp = (
        "default-src 'none'; "
        f"script-src {script_src}; "
        f"style-src {_sha256_source(css)}; "
        "img-src 'none'; base-uri 'none'; form-action 'none'"
    )
    yield (
        "<!doctype html>\n<html lang=en>\n<head>\n<meta charset=utf-8>\n"
        f'<meta http-equiv="Content-Security-Policy" content="{esc(csp)}">\n'
        '<meta name=viewport content="width=device-width, initial-scale=1">\n'
        '<meta name=referrer content="no-referrer">\n'
        f"<title>{esc(title)}</title>\n<style>{css}</style>\n</head>\n<body{body_attrs}>\n"
    )


def page_tail(script_name: str | None) -> Iterator[str]:
    if script_name:
        yield f"\n<script>{asset(script_name)}</script>"
    yield "\n</body>\n</html>\n"


# --- one document ------------------------------------------------------------------------------


def _removal_label(rm: dict[str, Any], held: bool) -> str:
    kind = "held for review, not removed" if held else "removed"
    return f"{kind}: {rm.get('rule')} ({rm.get('category')}): {rm.get('reason')}"


def ordered_spans(
    text: str, removals: Sequence[dict[str, Any]], held: Sequence[dict[str, Any]]
) -> tuple[list[tuple[int, int, dict[str, Any], bool, str]], list[str]]:
    """Removals as (start, end, removal, held, mark id) in text order, clipped to be disjoint.

    Returns the spans and problems found (offsets out of range, overlaps) so a bad record is
    shown with a warning instead of breaking the page.
    """
    problems: list[str] = []
    spans: list[tuple[int, int, dict[str, Any], bool, str]] = []
    for kind, items in (("r", removals), ("h", held)):
        for i, rm in enumerate(items):
            try:
                start, end = int(rm["start"]), int(rm["end"])
            except (KeyError, TypeError, ValueError):
                problems.append(f"removal {kind}{i} has no valid span")
                continue
            if not 0 <= start < end <= len(text):
                problems.append(f"removal {kind}{i} [{start}, {end}) is outside the text")
                continue
            spans.append((start, end, rm, kind == "h", f"{kind}{i}"))
    spans.sort(key=lambda s: (s[0], s[1]))
    disjoint: list[tuple[int, int, dict[str, Any], bool, str]] = []
    pos = 0
    for start, end, rm, held_flag, mid in spans:
        if start < pos:
            problems.append(f"removal {mid} overlaps the one before it")
            start = pos
            if start >= end:
                continue
        disjoint.append((start, end, rm, held_flag, mid))
        pos = end
    return disjoint, problems


def marked_text(
    text: str, spans: Iterable[tuple[int, int, dict[str, Any], bool, str]], anchor: str
) -> str:
    """``text`` escaped, each span wrapped in a ``<mark>`` with its rule and reason."""
    parts: list[str] = []
    pos = 0
    for start, end, rm, held, mid in spans:
        parts.append(esc(text[pos:start]))
        label = _removal_label(rm, held)
        cls = f"rm c-{category_class(rm.get('category'))}" + (" held" if held else "")
        parts.append(
            f'<mark id="{anchor}-{mid}" class="{cls}" tabindex=-1 title="{esc(label)}" '
            f'data-rule="{esc(rm.get("rule"))}" data-category="{esc(rm.get("category"))}" '
            f'data-s="{esc(rm.get("start"))}" data-e="{esc(rm.get("end"))}">'
            f"<span class=sr>[{esc(label)}] </span><span class=t>{esc(text[start:end])}</span>"
            "<span class=sr> [end]</span></mark>"
        )
        pos = end
    parts.append(esc(text[pos:]))
    return "".join(parts)


def _excerpt(text: object) -> str:
    s = " ".join(str(text or "").split())
    return s if len(s) <= EXCERPT_CHARS else s[: EXCERPT_CHARS - 1] + "…"


def document_article(record: dict[str, Any], seq: int, anchor: str) -> str:
    """One document: facts, the list of removals, the text with removals marked in place."""
    text = record.get("text_in")
    text = text if isinstance(text, str) else ""
    removals = record.get("removals") or []
    held = record.get("held_removals") or []
    spans, problems = ordered_spans(text, removals, held)
    title = record.get("title") or record.get("id")
    href = safe_href(record.get("url"))
    url_html = (
        f'<a href="{esc(href)}" rel="noopener noreferrer">{esc(href)}</a>'
        if href
        else esc(record.get("url") or "")
    )
    chars_removed = sum(int(r.get("end", 0)) - int(r.get("start", 0)) for r in removals)
    facts = [
        ("id", esc(record.get("id"))),
        ("source", esc(record.get("source"))),
        ("url", url_html),
        ("input", esc(record.get("input"))),
        (
            "status",
            f'<span class="st-{esc(record.get("status"))}">{esc(record.get("status"))}</span>',
        ),
        (
            "chars",
            f"{esc(record.get('chars_in'))} in, {esc(record.get('chars_out'))} out, "
            f"{chars_removed} removed",
        ),
    ]
    if record.get("reason"):
        facts.append(("reason", esc(record.get("reason"))))
    if record.get("flags"):
        facts.append(("flags", esc(", ".join(map(str, record.get("flags") or [])))))
    publishable = str(record.get("status")) in PUBLISHABLE
    held_doc = publishable and (is_held(record) or bool(held))
    decide = ""
    if publishable:
        # Decisions (see flows/decisions.py): doc.js keeps them and exports the signed file.
        decide = f' data-fp="{fingerprint(removals, held)}" data-held="{1 if held_doc else 0}"'
    out = [
        f'<article class=doc id="{anchor}" tabindex=-1 data-seq="{seq}" '
        f'data-doc-id="{esc(record.get("id"))}" aria-labelledby="{anchor}-h"{decide}>',
        f'<h2 id="{anchor}-h">{esc(title)}</h2>',
        "<dl class=facts>" + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts) + "</dl>",
    ]
    if publishable:
        out.append(decision_bar(held_doc))
    if held:
        out.append(
            "<p class=warn>The over-removal guard held these removals: nothing was removed. "
            "They are marked with a dashed outline for review.</p>"
        )
    if problems:
        out.append("<p class=warn>" + esc("; ".join(problems)) + "</p>")
    if spans:
        items = "".join(
            f'<li><a href="#{anchor}-{mid}">{chip(rm.get("category"))}</a> '
            f"<b>{esc(rm.get('rule'))}</b>{' (held)' if held_flag else ''}: "
            f"{esc(rm.get('reason'))} <q>{esc(_excerpt(rm.get('text')))}</q>"
            f"{_keep_button(f'{anchor}-{mid}') if publishable else ''}</li>"
            for _s, _e, rm, held_flag, mid in spans
        )
        out.append(f'<ol class=removals aria-label="Removals in this document">{items}</ol>')
    dom = record.get("dom_removals") or []
    if dom:
        items = "".join(
            f'<li class=dom-removal><span class="chip c-{category_class(d.get("category"))}">'
            f"{esc(d.get('category'))}</span> <b>{esc(d.get('rule'))}</b>: {esc(d.get('reason'))} "
            f"<q>{esc(_excerpt(d.get('text')))}</q></li>"
            for d in dom
        )
        out.append(
            f"<details><summary>{len(dom)} HTML widget(s) dropped before extraction</summary>"
            f"<ol class=removals>{items}</ol></details>"
        )
    if text:
        out.append(f"<pre class=text>{marked_text(text, spans, anchor)}</pre>")
    elif record.get("text_in") is None and record.get("output"):
        href = "../../" + quote(str(record["output"]))
        out.append(
            "<p class=note>Nothing removed from the text: it is not repeated here. The clean "
            f'text is <a href="{esc(href)}">{esc(record["output"])}</a> in the output folder.</p>'
        )
    out.append("</article>\n")
    return "".join(out)


def _keep_button(mark_id: str) -> str:
    """The "keep this text" toggle of one removal (doc.js restores the mark it names)."""
    return (
        f' <button type=button class=keep data-mark="{esc(mark_id)}" aria-pressed=false>'
        "keep this text</button>"
    )


def decision_bar(held: bool) -> str:
    """A document's decision buttons (shown once doc.js runs; it also fills the state line).

    A held document needs one of accept held / original / exclude; any other one is published
    cleaned unless excluded.
    """
    if held:
        buttons = (
            "<button type=button class=act data-act=accept_held aria-pressed=false>"
            "accept held removals <kbd>a</kbd></button>"
            "<button type=button class=act data-act=original aria-pressed=false>"
            "publish the original <kbd>o</kbd></button>"
        )
    else:
        buttons = ""
    buttons += (
        "<button type=button class=act data-act=exclude aria-pressed=false>"
        "exclude this document <kbd>x</kbd></button>"
    )
    return (
        f"<div class=decide role=group aria-label=Decision>{buttons}"
        "<span class=dstate></span></div>"
    )


# --- small helpers for the index ---------------------------------------------------------------

_NUM = re.compile(r"^-?\d+(\.\d+)?%?$")


def table(headers: Sequence[str], rows: Iterable[Sequence[object]], caption: str) -> str:
    """A small table of already-computed figures; every cell is escaped."""
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = []
    for row in rows:
        cells = []
        for cell in row:
            if isinstance(cell, tuple):  # (html, css class): pre-rendered, trusted markup
                cells.append(f"<td class={cell[1]}>{cell[0]}</td>")
                continue
            text = esc(cell)
            cls = " class=n" if _NUM.match(text) else ""
            cells.append(f"<td{cls}>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><caption class=sr>{esc(caption)}</caption><thead><tr>{head}</tr></thead>" + (
        "<tbody>" + "".join(body) + "</tbody></table>"
    )
