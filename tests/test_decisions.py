"""Publishing with an editor's decisions file: kept text restored, documents excluded, a
tampered or foreign file refused, decisions on a changed document refused, idempotent, audited.

One real run (``clean_flow`` on the seed articles) is shared by the module; each test
publishes into its own DEST. The decisions files are built as the report's page builds them
(:func:`decisions_for`), signed with the folder's review key.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from cleaners import apply_removals
from flows import decisions as dm
from flows import review
from flows.decisions import DecisionsError
from flows.publish import PublishError, cli_main, publish

SEEDS = Path(__file__).parent / "cases" / "seeds" / "input"
MANY = "004_7802ac3fc612a4d0"
"""A seed document with several removals (one is restored, the others stay removed)."""


@pytest.fixture(scope="module")
def run(prefect_harness: None, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from flows.clean_flow import clean_flow

    root = tmp_path_factory.mktemp("decisions")
    source = root / "incoming"
    shutil.copytree(SEEDS, source)
    summary = clean_flow(str(source), str(root / "out"))
    report = json.loads((root / "out" / "report" / "report.json").read_text(encoding="utf-8"))
    docs = {d["id"]: d for d in report["documents"]}
    assert len(docs[MANY]["removals"]) >= 3
    return {"out": root / "out", "source": source, "summary": summary, "docs": docs}


def decisions_for(
    run: dict[str, Any],
    documents: dict[str, dict[str, Any]],
    *,
    by: str = "Dana Editor",
    key_dir: Path | None = None,
) -> dict[str, Any]:
    """A signed decisions file as the report exports it: each document's fingerprint added."""
    docs = {}
    for doc_id, decision in documents.items():
        rec = run["docs"][doc_id]
        fp = dm.fingerprint(rec["removals"], rec["held_removals"])
        docs[doc_id] = {"action": decision.get("action", "cleaned"), "fingerprint": fp}
        if decision.get("restore"):
            docs[doc_id]["restore"] = decision["restore"]
    content = {
        "format": dm.FORMAT,
        "review_id": run["summary"]["review_id"],
        "run_id": run["summary"]["run_id"],
        "decided_by": by,
        "decided_at": "2026-12-02T16:30:00.000Z",
        "documents": docs,
    }
    key = review.review_key(key_dir or run["out"])
    return dm.signed_file(content, key)


def write(path: Path, content: dict[str, Any]) -> Path:
    path.write_text(json.dumps(content, indent=1), encoding="utf-8")
    return path


def restore_of(removal: dict[str, Any]) -> dict[str, Any]:
    return {"start": removal["start"], "end": removal["end"], "rule": removal["rule"]}


def loaded(run: dict[str, Any], content: dict[str, Any]) -> dm.Decisions:
    return dm.load(json.loads(json.dumps(content)), run["out"])


def test_a_restored_removal_goes_back_and_the_others_stay_removed(
    run: dict[str, Any], tmp_path: Path
) -> None:
    from cleaners import Removal

    doc = run["docs"][MANY]
    kept, *others = doc["removals"]
    content = decisions_for(run, {MANY: {"restore": [restore_of(kept)]}})
    dest = tmp_path / "dest"
    record = publish(run["out"], dest, decisions=loaded(run, content))
    published = (dest / "current" / f"{MANY}.txt").read_text(encoding="utf-8")
    original = (run["source"] / f"{MANY}.txt").read_text(encoding="utf-8")
    rest = [Removal(r["start"], r["end"], r["rule"], r["category"], "", "") for r in others]
    assert published == apply_removals(original, rest)
    assert kept["text"].strip() in published
    assert all(r["text"].strip() not in published for r in others if len(r["text"]) > 12)
    staged = (run["out"] / "clean" / f"{MANY}.txt").read_text(encoding="utf-8")
    assert kept["text"].strip() not in staged  # the staged text itself is untouched
    assert record["restored"] == {MANY: 1}
    assert record["counts"]["restored_spans"] == 1
    for doc_id in run["docs"]:  # every other document is its staged text
        if doc_id != MANY:
            assert (dest / "current" / f"{doc_id}.txt").read_bytes() == (
                run["out"] / "clean" / f"{doc_id}.txt"
            ).read_bytes()


def test_an_excluded_document_stays_out(run: dict[str, Any], tmp_path: Path) -> None:
    excluded = sorted(run["docs"])[0]
    content = decisions_for(run, {excluded: {"action": "exclude"}})
    dest = tmp_path / "dest"
    record = publish(run["out"], dest, decisions=loaded(run, content))
    assert not (dest / "current" / f"{excluded}.txt").exists()
    assert record["excluded"] == [excluded]
    assert record["counts"]["published"] == len(run["docs"]) - 1
    assert record["approved_by"] == "Dana Editor"  # who decided, when no --approved-by


def test_the_audit_record_keeps_the_decisions_and_the_same_decisions_publish_once(
    run: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = run["docs"][MANY]
    excluded = sorted(run["docs"])[0]
    content = decisions_for(
        run, {MANY: {"restore": [restore_of(doc["removals"][1])]}, excluded: {"action": "exclude"}}
    )
    path = write(tmp_path / "decisions.json", content)
    dest = tmp_path / "dest"
    argv = [str(run["out"]), "--to", str(dest), "--decisions", str(path)]
    assert cli_main(argv) == 0
    out = capsys.readouterr().out
    assert "1 excluded, 1 removals restored" in out
    before = {p: p.read_bytes() for p in dest.rglob("*") if p.is_file()}
    assert cli_main(argv) == 0
    assert "already published" in capsys.readouterr().out
    assert {p: p.read_bytes() for p in dest.rglob("*") if p.is_file()} == before
    audit = [json.loads(line) for line in (dest / "audit.jsonl").read_text().splitlines()]
    assert len(audit) == 1
    kept = audit[0]["decisions"]
    assert kept["origin"] == "file"
    assert kept["decided_by"] == "Dana Editor"
    assert kept["decided_at"] == content["decided_at"]
    assert kept["reviewed"] == run["summary"]["review_id"]
    assert kept["signature"] == content["signature"]
    assert kept["documents"][excluded] == {
        "action": "exclude",
        "fingerprint": content["documents"][excluded]["fingerprint"],
    }
    assert kept["documents"][MANY]["restore"] == [restore_of(doc["removals"][1])]
    record = json.loads((dest / "current" / "publication.json").read_text())
    assert record["decisions"] == kept


@pytest.mark.parametrize(
    "tamper",
    [
        "add a restore",
        "drop an exclusion",
        "change who decided",
        "another folder's key",
    ],
)
def test_a_tampered_or_foreign_decisions_file_is_refused(
    run: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str], tamper: str
) -> None:
    doc = run["docs"][MANY]
    excluded = sorted(run["docs"])[0]
    key_dir = None
    if tamper == "another folder's key":
        key_dir = tmp_path / "other-run"
    content = decisions_for(run, {excluded: {"action": "exclude"}}, key_dir=key_dir)
    if tamper == "add a restore":
        content["documents"][MANY] = {
            "action": "cleaned",
            "restore": [restore_of(r) for r in doc["removals"]],
        }
    elif tamper == "drop an exclusion":
        del content["documents"][excluded]
    elif tamper == "change who decided":
        content["decided_by"] = "Someone Else"
    path = write(tmp_path / "decisions.json", content)
    dest = tmp_path / "dest"
    code = cli_main([str(run["out"]), "--to", str(dest), "--decisions", str(path)])
    err = capsys.readouterr().err
    assert code == 2
    assert err == (
        "decruft publish: the decisions file was changed after it was exported, or it comes "
        "from another output folder's report (its signature does not match): export it again\n"
    )
    assert not dest.exists()


def test_an_unsigned_or_foreign_format_file_is_refused(run: dict[str, Any], tmp_path: Path) -> None:
    content = decisions_for(run, {})
    unsigned = {k: v for k, v in content.items() if k != "signature"}
    with pytest.raises(DecisionsError, match="the decisions file is not signed"):
        loaded(run, unsigned)
    with pytest.raises(DecisionsError, match="not a decruft decisions file"):
        loaded(run, {**content, "format": "something-else"})
    (tmp_path / "junk.json").write_text("{not json")
    with pytest.raises(DecisionsError, match="is not a decisions file"):
        dm.read_file(tmp_path / "junk.json")


def test_decisions_on_another_version_of_a_document_are_refused(
    run: dict[str, Any], tmp_path: Path
) -> None:
    """The report showed other removals than the run has (its fingerprint differs)."""
    doc = run["docs"][MANY]
    content = decisions_for(run, {MANY: {"restore": [restore_of(doc["removals"][0])]}})
    content["documents"][MANY]["fingerprint"] = "0123456789abcdef"
    content = dm.signed_file(content, review.review_key(run["out"]))
    with pytest.raises(PublishError) as refused:
        publish(run["out"], tmp_path / "dest", decisions=loaded(run, content))
    assert str(refused.value) == (
        f"{MANY}: the decisions were made on another version of this document "
        "(its removals changed since the report was made)"
    )
    assert not (tmp_path / "dest").exists()


def test_a_restore_that_is_no_removal_is_refused(run: dict[str, Any], tmp_path: Path) -> None:
    doc = run["docs"][MANY]
    wrong = {**restore_of(doc["removals"][0]), "rule": "footer_v1"}
    content = decisions_for(run, {MANY: {"restore": [wrong]}})
    with pytest.raises(PublishError, match=r"is not one of its removals"):
        publish(run["out"], tmp_path / "dest", decisions=loaded(run, content))


def test_decisions_for_a_document_whose_input_changed_are_refused(
    prefect_harness: None, run: dict[str, Any], tmp_path: Path
) -> None:
    """The input was edited after the run (no new run): its kept text cannot be rebuilt."""
    from flows.clean_flow import clean_flow

    source = tmp_path / "incoming"
    shutil.copytree(SEEDS, source)
    out = tmp_path / "out"
    summary = clean_flow(str(source), str(out))
    mine = {**run, "out": out, "source": source, "summary": summary}
    doc = run["docs"][MANY]
    content = decisions_for(mine, {MANY: {"restore": [restore_of(doc["removals"][0])]}})
    path = source / f"{MANY}.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\nA late correction.\n")
    with pytest.raises(PublishError) as refused:
        publish(out, tmp_path / "dest", decisions=loaded(mine, content))
    assert str(refused.value) == f"{MANY}: its input {path} changed since the run (sha256 differs)"
    assert not (tmp_path / "dest").exists()

    # A new run over the changed input changes the folder: the old decisions name a review
    # that no longer holds, and nothing is published.
    later = clean_flow(str(source), str(out))
    assert later["review_id"] != summary["review_id"]
    with pytest.raises(PublishError, match="the output folder changed since the review"):
        publish(out, tmp_path / "dest", decisions=loaded(mine, content))
    assert not (tmp_path / "dest").exists()


def test_publish_approved_flow_takes_the_decisions_file(
    run: dict[str, Any], tmp_path: Path
) -> None:
    from flows.publish_flow import publish_flow

    doc = run["docs"][MANY]
    excluded = sorted(run["docs"])[0]
    content = decisions_for(
        run, {MANY: {"restore": [restore_of(doc["removals"][0])]}, excluded: {"action": "exclude"}}
    )
    dest = tmp_path / "dest"
    result = publish_flow(str(run["out"]), str(dest), decisions=json.loads(json.dumps(content)))
    assert result["published"] is True
    assert result["restored"] == {MANY: 1}
    assert result["excluded"] == [excluded]
    assert result["approved_by"] == "Dana Editor"
    assert doc["removals"][0]["text"].strip() in (dest / "current" / f"{MANY}.txt").read_text()
    tampered = {**content, "decided_by": "Mallory"}
    state = publish_flow(str(run["out"]), str(dest), decisions=tampered, return_state=True)
    assert state.is_failed()
    assert "nothing published: the decisions file was changed after it was exported" in (
        state.message
    )


# --- decruft rules suggest: restores as feedback per rule and source ----------------------------


def test_rules_suggest_counts_restores_per_rule_and_source_and_writes_vetoes(
    run: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from cleaners.templates import parse_rules
    from flows.cli import main

    doc = run["docs"][MANY]
    nav = [r for r in doc["removals"] if r["rule"] == "nav_label_v2"]
    footer = [r for r in doc["removals"] if r["rule"] == "footer_v1"]
    assert len(nav) == 2 and footer
    content = decisions_for(run, {MANY: {"restore": [restore_of(r) for r in nav + footer[:1]]}})
    path = write(tmp_path / "decisions.json", content)
    total = {
        rule: sum(1 for d in run["docs"].values() for r in d["removals"] if r["rule"] == rule)
        for rule in ("nav_label_v2", "footer_v1")
    }
    rules_file = tmp_path / "rules.toml"
    argv = ["rules", "suggest", str(run["out"]), "--decisions", str(path)]
    assert main(argv) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (
        f"decisions.json (review {run['summary']['review_id']}, decided by Dana Editor at "
        f"{content['decided_at']}): 3 removal(s) restored in 1 document(s)"
    )
    table = [line.split() for line in out[1:]]
    assert table[0] == ["rule", "source", "restored", "removals", "share"]
    rows = {(r[0], r[1]): (int(r[2]), int(r[3])) for r in table[1:]}
    assert rows == {
        ("nav_label_v2", "incoming"): (2, total["nav_label_v2"]),
        ("footer_v1", "incoming"): (1, total["footer_v1"]),
    }
    assert not rules_file.exists()  # nothing written without --write-veto

    veto = [*argv, "--write-veto", "--rules-file", str(rules_file), "--min-restored", "2"]
    assert main([*veto, "--min-share", "0.1"]) == 0
    written = capsys.readouterr().out.splitlines()
    assert written[-1] == (
        f"{rules_file}: vetoed rule nav_label_v2 for 'incoming' "
        f"(2 of {total['nav_label_v2']} restored)"
    )  # footer_v1: 1 restore, below --min-restored 2
    rules = parse_rules(rules_file.read_text(encoding="utf-8"))
    assert rules["incoming"].veto_rules == ("nav_label_v2",)
    assert '[source."incoming"]\nveto_rules = ["nav_label_v2"]\n' in rules_file.read_text()
    assert main([*veto, "--min-share", "0.1"]) == 0
    assert "nothing to veto" in capsys.readouterr().out  # once is enough

    # What the file says is what clean() does for that source (the templates' SiteTemplates).
    from cleaners import clean
    from cleaners.templates import SiteTemplates

    text = (run["source"] / f"{MANY}.txt").read_text(encoding="utf-8")
    vetoed = SiteTemplates.build("incoming", None, rules["incoming"])
    rules_run = {r.rule for r in clean(text, source="incoming", templates=vetoed).removals}
    assert "nav_label_v2" in {r.rule for r in clean(text, source="incoming").removals}
    assert "nav_label_v2" not in rules_run and "footer_v1" in rules_run

    # The default rules file is the templates' one in the output folder.
    assert main([*argv, "--write-veto", "--min-restored", "1", "--min-share", "0"]) == 0
    default = run["out"] / "templates" / "rules.toml"
    try:
        assert parse_rules(default.read_text())["incoming"].veto_rules == (
            "footer_v1",
            "nav_label_v2",
        )
    finally:
        default.unlink()


def test_rules_suggest_refuses_a_tampered_file_and_skips_unknown_restores(
    run: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from flows.cli import main

    doc = run["docs"][MANY]
    content = decisions_for(run, {MANY: {"restore": [restore_of(doc["removals"][0])]}})
    path = write(tmp_path / "tampered.json", {**content, "decided_by": "Mallory"})
    assert main(["rules", "suggest", str(run["out"]), "--decisions", str(path)]) == 2
    assert "its signature does not match" in capsys.readouterr().err
    content["documents"][MANY]["fingerprint"] = "0000000000000000"
    path = write(tmp_path / "old.json", dm.signed_file(content, review.review_key(run["out"])))
    assert main(["rules", "suggest", str(run["out"]), "--decisions", str(path)]) == 0
    out = capsys.readouterr().out
    assert "0 removal(s) restored" in out and "no removal was restored" in out
    assert f"not counted: {MANY}: its removals changed since the decisions" in out


def test_a_restored_template_line_is_vetoed_as_that_line(tmp_path: Path) -> None:
    from cleaners.templates import parse_rules
    from flows.rules_cli import Feedback, Tally, write_vetoes

    feedback = Feedback()
    feedback.tallies[("site_template_v1", "Politico")] = Tally(
        removals=40, restored=2, lines=["Story Continued Below", "Story Continued Below"]
    )
    feedback.tallies[("footer_v1", "Politico")] = Tally(removals=10, restored=1, lines=["x"])
    feedback.tallies[("footer_v1", "")] = Tally(removals=10, restored=9, lines=["x"] * 9)
    rules_file = tmp_path / "templates" / "rules.toml"
    done = write_vetoes(feedback, rules_file, min_restored=3, min_share=0.5)
    assert done == ["vetoed line 'Story Continued Below' for 'Politico'"]
    rules = parse_rules(rules_file.read_text(encoding="utf-8"))
    assert set(rules) == {"Politico"}  # no source: no veto
    assert rules["Politico"].veto_rules == ()
    assert len(rules["Politico"].veto) == 1


def test_options_merged_with_a_file_keep_the_file_for_the_audit(run: dict[str, Any]) -> None:
    """publish-approved merges the editor's answer (a file) onto its parameters (options)."""
    content = decisions_for(run, {sorted(run["docs"])[0]: {"action": "exclude"}})
    answer = loaded(run, content)
    options = dm.Decisions.from_options(reviewed=run["summary"]["review_id"], exclude=[MANY])
    for merged in (options.merged(answer), answer.merged(options)):
        audit = merged.audit()
        assert audit["origin"] == "file"
        assert audit["signature"] == content["signature"]
        assert audit["decided_at"] == content["decided_at"]
        assert merged.ids("exclude") == sorted([MANY, sorted(run["docs"])[0]])


def test_a_veto_written_from_restores_stops_the_rule_in_the_next_run(
    prefect_harness: None, run: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The loop closed: restores -> rules suggest --write-veto -> the next scheduled run does
    not run the vetoed rule on that source."""
    from flows.clean_flow import clean_flow
    from flows.cli import main
    from flows.store import read_manifest

    source = tmp_path / "incoming"
    shutil.copytree(SEEDS, source)
    out = tmp_path / "out"
    summary = clean_flow(str(source), str(out))
    mine = {**run, "out": out, "source": source, "summary": summary}
    nav = [r for r in run["docs"][MANY]["removals"] if r["rule"] == "nav_label_v2"]
    content = decisions_for(mine, {MANY: {"restore": [restore_of(r) for r in nav]}})
    path = write(tmp_path / "decisions.json", content)
    argv = ["rules", "suggest", str(out), "--decisions", str(path), "--write-veto"]
    assert main([*argv, "--min-restored", "2"]) == 0
    assert "vetoed rule nav_label_v2 for 'incoming'" in capsys.readouterr().out

    later = clean_flow(str(source), str(out))
    assert later["review_id"] != summary["review_id"]  # a document changed: a new review
    report = json.loads((out / "report" / "report.json").read_text(encoding="utf-8"))
    rules_fired = {r["rule"] for d in report["documents"] for r in d["removals"]}
    assert "nav_label_v2" not in rules_fired and "footer_v1" in rules_fired
    staged = (out / "clean" / f"{MANY}.txt").read_text(encoding="utf-8")
    assert all(r["text"].strip() in staged for r in nav)
    statuses = {row["id"]: row["status"] for row in read_manifest(out)}
    assert statuses[MANY] == "cleaned"  # cleaned again (a vetoed rule redoes its source's)
