"""Safe by default: publishing is bound to the reviewed run, held documents are decided, bad
paths and arguments fail fast with one line, and the report opens from the Prefect UI."""

from __future__ import annotations

import json
import shutil
import threading
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from flows import local_server
from flows.cli import main
from flows.publish import PublishError, cli_main, publish
from flows.store import read_manifest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = Path(__file__).parent / "cases" / "seeds" / "input"
PLAIN = (
    "Council approves new bridge\n\n"
    "The city council approved the construction of a new footbridge over the river on "
    "Monday, ending two years of debate about the crossing.\n"
)


def _seeds(root: Path) -> Path:
    source = root / "incoming"
    shutil.copytree(SEEDS, source)
    return source


def _artifacts(run_id: str) -> dict[str, Any]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    with get_client(sync_client=True) as client:
        found = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[UUID(run_id)]))
        )
    return {a.key: a for a in found}


# --- 1. approval bound to the reviewed run -----------------------------------------------------


def test_publish_refuses_a_folder_that_changed_since_the_review(
    prefect_harness: None, tmp_path: Path
) -> None:
    from flows.clean_flow import clean_flow

    source, out, dest = _seeds(tmp_path), tmp_path / "out", tmp_path / "published"
    first = clean_flow(str(source), str(out))
    reviewed = first["review_id"]
    assert reviewed.startswith("r-") and len(reviewed) == 18
    assert reviewed in (out / "report" / "index.html").read_text(encoding="utf-8")
    assert json.loads((out / "report" / "run.json").read_text())["review"]["review_id"] == reviewed
    # A scheduled run that finds nothing new keeps the review valid...
    assert clean_flow(str(source), str(out))["review_id"] == reviewed
    # ...one that adds a document does not.
    (source / "late-story.txt").write_text(PLAIN, encoding="utf-8")
    later = clean_flow(str(source), str(out))
    assert later["review_id"] != reviewed

    with pytest.raises(PublishError, match="changed since the review") as refused:
        publish(out, dest, reviewed=reviewed, approved_by="editor")
    assert reviewed in str(refused.value) and later["review_id"] in str(refused.value)
    assert not dest.exists()
    with pytest.raises(PublishError, match="name the run you reviewed"):
        publish(out, dest)

    record = publish(out, dest, reviewed=later["review_id"], approved_by="editor")
    assert record["counts"]["published"] == len(read_manifest(out)) == 6
    assert record["review"]["review_id"] == later["review_id"]
    assert record["review"]["unchanged_since_review"] is True
    audit = json.loads((dest / "audit.jsonl").read_text().splitlines()[-1])
    assert audit["review"]["reviewed"] == later["review_id"]
    # The run id of a run that changed nothing since the reviewed one is accepted too.
    again = clean_flow(str(source), str(out))
    assert publish(out, dest, reviewed=again["run_id"])["noop"] is True


# --- 2. held documents are decided before they are published -----------------------------------


def test_held_documents_are_not_published_until_decided(
    prefect_harness: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from cleaners import clean
    from flows.clean_flow import clean_flow

    source, out = _seeds(tmp_path), tmp_path / "out"
    (source / "plain.txt").write_text(PLAIN, encoding="utf-8")
    summary = clean_flow(str(source), str(out), max_share=0.001)
    rows = {r["id"]: r for r in read_manifest(out)}
    held = sorted(i for i, r in rows.items() if "over_removal" in r["flags"])
    assert len(held) >= 3 and "plain" not in held
    assert all(rows[i]["status"] == "unchanged" for i in held)  # what made them slip through
    reviewed = summary["review_id"]

    with pytest.raises(PublishError, match=r"held by the over-removal guard are undecided") as e:
        publish(out, tmp_path / "refused", reviewed=reviewed)
    assert all(i in str(e.value) for i in held)
    assert not (tmp_path / "refused").exists()
    code = cli_main([str(out), "--to", str(tmp_path / "refused"), "--reviewed", reviewed])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and held[0] in err

    accepted, original, *excluded = held
    dest = tmp_path / "published"
    record = publish(
        out,
        dest,
        decisions=_options(reviewed, accept_held=[accepted], original=[original], exclude=excluded),
    )
    text = (source / f"{accepted}.txt").read_text(encoding="utf-8")
    cleaned = clean(text, source="incoming").text
    assert (dest / "current" / f"{accepted}.txt").read_text(encoding="utf-8") == cleaned
    assert cleaned != (out / "clean" / f"{accepted}.txt").read_text(encoding="utf-8")
    assert (dest / "current" / f"{original}.txt").read_bytes() == (
        out / "clean" / f"{original}.txt"
    ).read_bytes()
    assert not any((dest / "current" / f"{i}.txt").exists() for i in excluded)
    assert record["held"] == {"accepted": [accepted], "original": [original], "excluded": excluded}

    everything_else = publish(out, tmp_path / "rest", reviewed=reviewed, exclude=[], **_held_out())
    assert set(everything_else["held"]["excluded"]) == set(held)
    assert everything_else["counts"]["published"] == len(rows) - len(held)


def _options(reviewed: str, **ids: list[str]) -> Any:
    from flows.decisions import Decisions

    return Decisions.from_options(reviewed=reviewed, **ids)


def _held_out() -> dict[str, Any]:
    from flows.decisions import Decisions

    return {"decisions": Decisions.from_options(exclude_held=True)}


# --- 3. empty or overlapping paths never clean the checkout -------------------------------------


@pytest.mark.parametrize(
    ("source", "out", "message"),
    [
        ("", "{tmp}/out", "source is empty: set DECRUFT_SOURCE"),
        ("{tmp}/in", "", "out is empty: set DECRUFT_OUT"),
        ("{{ $DECRUFT_SOURCE }}", "{tmp}/out", "source is an unfilled template"),
        ("{tmp}/in", "{tmp}/in", "is the source folder itself"),
        ("{tmp}/in", "{tmp}/in/out", "inside source"),
        ("{root}", "{tmp}/out", "is the decruft checkout"),
        ("{tmp}", "{tmp}/../out-of-tmp-{name}", "contains the decruft checkout"),
    ],
)
def test_flow_refuses_paths_that_would_clean_the_wrong_folder(
    prefect_harness: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    source: str,
    out: str,
    message: str,
) -> None:
    from flows.clean_flow import clean_flow

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(PLAIN, encoding="utf-8")
    cwd = tmp_path / "cwd"  # what '' means: the working directory (a deployment's: the checkout)
    cwd.mkdir()
    (cwd / "b.txt").write_text(PLAIN, encoding="utf-8")
    monkeypatch.chdir(cwd)
    if "contains" in message:  # a folder above the checkout
        monkeypatch.setenv("DECRUFT_PROJECT_DIR", str(tmp_path / "checkout"))
        (tmp_path / "checkout").mkdir()
        (tmp_path / "checkout" / "pyproject.toml").write_text("[project]\nname='decruft'\n")
    fill = {"tmp": str(tmp_path), "root": str(ROOT), "name": tmp_path.name}
    src = source if "$" in source else source.format(**fill)
    dst = out.format(**fill)
    state = clean_flow(src, dst, return_state=True)
    assert state.is_failed(), state
    assert message in state.message and "\n" not in state.message.strip()
    assert sorted(p.name for p in cwd.iterdir()) == ["b.txt"]  # nothing written in the cwd
    assert not (tmp_path / "in" / "out").exists()


def test_cli_refuses_the_same_paths_before_starting_a_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(local_server, "start", _no_server)
    monkeypatch.chdir(tmp_path)
    assert main(["run", "", "--out", str(tmp_path / "out")]) == 2
    assert "source is empty" in capsys.readouterr().err
    assert main(["run", str(ROOT), "--out", str(tmp_path / "out")]) == 2
    assert "is the decruft checkout" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


# --- 4. the report opens from the Prefect UI; triage and publication artifacts ----------------


def test_report_is_served_over_http_and_the_artifacts_link_there(
    prefect_harness: None, tmp_path: Path
) -> None:
    from flows.clean_flow import clean_flow
    from flows.serve import make_server, url_of

    out = tmp_path / "out"
    summary = clean_flow(str(_seeds(tmp_path)), str(out))
    (out / "report" / ".hidden").write_text("not served")
    server = make_server(out, port=0)
    assert server.server_address[0] == "127.0.0.1"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = url_of(server)
        index = _get(base)
        assert index[0] == 200 and summary["review_id"] in index[1]
        assert _get(base + "docs/p00001.html")[0] == 200
        assert _get(base + "report.json")[0] == 200
        for hidden in ("docs/", ".hidden", "../manifest.jsonl", "%2e%2e/clean/", "../.decruft/"):
            assert _get(base + hidden)[0] == 404, hidden
        assert _get(base, method="POST")[0] in (405, 501)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)

    artifacts = _artifacts(summary["run_id"])
    link = artifacts["decruft-report"].data
    assert "(http://127.0.0.1:8765/index.html)" in link and "file://" not in link
    assert "file://" not in str(artifacts["decruft-summary"].data)
    assert summary["review_id"] in str(artifacts["decruft-summary"].data)
    triage = json.loads(artifacts["decruft-triage"].data)
    assert triage and {"document", "why", "link"} <= set(triage[0])
    assert triage[0]["link"].startswith("http://127.0.0.1:8765/docs/p")


def test_report_url_follows_a_configured_web_root(monkeypatch: pytest.MonkeyPatch) -> None:
    from flows.artifacts import report_url

    monkeypatch.setenv("DECRUFT_REPORT_URL", "https://reports.example/decruft/")
    assert report_url() == "https://reports.example/decruft/index.html"
    assert (
        report_url("docs/p00002.html#d30") == "https://reports.example/decruft/docs/p00002.html#d30"
    )


def test_publish_flow_writes_its_artifact_and_fails_with_the_reason(
    prefect_harness: None, tmp_path: Path
) -> None:
    from test_publish import make_run, rid

    from flows.publish_flow import publish_flow

    run, dest = make_run(tmp_path), tmp_path / "dest"
    refused = publish_flow(str(run), str(dest), reviewed="r-0000000000000000", return_state=True)
    assert refused.is_failed()
    assert "nothing published: the output folder changed since the review" in refused.message
    art = _artifacts(str(refused.state_details.flow_run_id))["decruft-publication"]
    assert "nothing published" in str(art.data) and "changed since the review" in str(art.data)
    assert not dest.exists()

    done = publish_flow(
        str(run), str(dest), reviewed=rid(run), exclude=["a"], approved_by="Dana", return_state=True
    )
    assert done.is_completed()
    record = done.result()
    art = str(_artifacts(str(done.state_details.flow_run_id))["decruft-publication"].data)
    for expected in (record["publication"], "Dana", "`a`", rid(run), "| published | 3 |"):
        assert expected in art


def _get(url: str, method: str = "GET") -> tuple[int, str]:
    request = urllib.request.Request(url, method=method, data=b"" if method == "POST" else None)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, ""


# --- 5. arguments checked first, one line, exit code 2 ------------------------------------------


def _no_server() -> None:
    raise AssertionError("a server was started before the arguments were checked")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--rules", "linkdump"], "unknown rule 'linkdump' (did you mean linkdump_v1?)"),
        (["--rules", "footer_v1,linkdmp_v1"], "did you mean linkdump_v1?"),
        (["--max-share", "1.5"], "1.5 is not a share from 0 to 1"),
        (["--max-share", "lots"], "not a number: 'lots'"),
        (["--batch-size", "0"], "0 is below 1"),
        (["--out", "{file}"], "is a file: give a folder"),
        (["--task-runner", "ray"], "invalid choice: 'ray'"),
    ],
)
def test_cli_mistakes_fail_fast_in_one_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    monkeypatch.setattr(local_server, "start", _no_server)
    source = tmp_path / "in"
    source.mkdir()
    (tmp_path / "a-file.txt").write_text("x")
    argv = ["run", str(source), "--out", str(tmp_path / "out"), *args]
    argv = [a.replace("{file}", str(tmp_path / "a-file.txt")) for a in argv]
    if "--out" in args:
        del argv[2:4]
    with pytest.raises(SystemExit) as exited:  # argparse's own checks exit
        raise SystemExit(main(argv))
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1, err
    assert "Traceback" not in err


def test_publish_mistakes_fail_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from test_publish import make_run, rid

    run = make_run(tmp_path)
    (tmp_path / "a-file").write_text("x")
    cases = [
        (["--to", str(tmp_path / "a-file"), "--reviewed", rid(run)], "is a file: give a folder"),
        (["--to", str(tmp_path / "d")], "name the run you reviewed: --reviewed"),
        (["--to", str(tmp_path / "d"), "--reviewed", rid(run), "--exclude", "typo"], "typo"),
        (["--to", str(run / "pub"), "--reviewed", rid(run)], "overlap"),
    ]
    for args, message in cases:
        assert cli_main([str(run), *args]) == 2
        err = capsys.readouterr().err
        assert message in err and err.count("\n") == 1, err
    assert cli_main([str(tmp_path / "nowhere"), "--to", str(tmp_path / "d")]) == 2
    assert "run folder not found" in capsys.readouterr().err


def test_version_defaults_in_help_and_the_rules_list(capsys: pytest.CaptureFixture[str]) -> None:
    from cleaners import DEFAULT_MAX_SHARE, REGISTRY, rule_versions
    from flows import clean_flow, cli

    assert cli.DEFAULT_MAX_SHARE == DEFAULT_MAX_SHARE
    assert cli.DEFAULT_BATCH_SIZE == clean_flow.DEFAULT_BATCH_SIZE
    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.strip() == "decruft 0.1.0"
    with pytest.raises(SystemExit):
        main(["run", "-h"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "(default: 0.4)" in help_text and "(default: 500)" in help_text
    assert main(["rules"]) == 0
    listing = capsys.readouterr().out
    chain = rule_versions()
    for name in chain:
        line = next(row for row in listing.splitlines() if f" {name} " in row)
        assert REGISTRY[name].category in line
        assert REGISTRY[name].description.split()[0] in line
    assert "default chain" in listing and ",".join(chain) in listing


def test_zero_inputs_warns_and_the_run_says_it_started(
    prefect_harness: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "in"
    source.mkdir()
    (source / "notes.md").write_text("# not an input")
    assert main(["run", str(source), "--out", str(tmp_path / "out"), "--no-progress"]) == 0
    captured = capsys.readouterr()
    first, *rest = captured.err.splitlines()
    assert first.startswith("decruft: cleaning ") and "(starting)" in first
    assert any("warning: no .txt, .html, .htm or .jsonl files" in line for line in rest)
    assert "review id r-" in captured.out


def test_unreachable_configured_api_fails_fast_with_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(local_server, "start", _no_server)
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:9/api")
    source = tmp_path / "in"
    source.mkdir()
    assert main(["run", str(source), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "the Prefect API at http://127.0.0.1:9/api" in err
    assert "prefect config unset PREFECT_API_URL" in err and err.count("\n") == 1
