"""The review report: ``report.json`` (data) and ``index.html`` (for an editor).

Contract used by the flow (streaming, constant memory):

    writer = ReportWriter(out_dir / "report", run_info)
    writer.add(record)        # once per document, in any order
    paths = writer.close(summary)

A record is a dict with: ``id``, ``input``, ``format``, ``source``, ``url``, ``title``,
``status``, ``reason``, ``flags``, ``chars_in``, ``chars_out``, ``text_in`` (the text given to
the cleaners), ``removals`` and ``held_removals`` (lists of Removal dicts with start, end,
rule, category, reason, text; offsets into ``text_in``), ``dom_removals`` (HTML widgets
dropped before extraction: rule, category, reason, text).
"""

from flows.report.writer import SCHEMA_VERSION, ReportWriter

__all__ = ["HEADLESS_CHROMIUM_FLAGS", "SCHEMA_VERSION", "ReportWriter"]

HEADLESS_CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
"""How the report is opened in a headless Chromium on a closed network (with a fresh
``--user-data-dir``): the browser test and the report benchmark both use these."""
