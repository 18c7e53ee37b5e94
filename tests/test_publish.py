"""Publishing: verification against the manifest, exclusions, no-op reruns, crash safety."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from flows import publish as pub
from flows import review
from flows.publish import PublishError, cli_main, publish

TEXTS = {
    "a": "First article.\n",
    "b": "Second article.\n",
    "nested/c": "Third article, in a folder.\n",
    "d": "Fourth article.\n",
}


def make_run(root: Path, texts: dict[str, str] = TEXTS, run_id: str = "run-1") -> Path:
    """A run folder as `decruft run` leaves it: clean/<id>.txt, manifest.jsonl, report/run.json."""
    run = root / run_id
    rows = []
    for doc_id, text in texts.items():
        path = run / "clean" / f"{doc_id}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        rows.append(
            {
                "id": doc_id,
                "status": "cleaned",
                "sha256_in": "0" * 64,
                "sha256_out": hashlib.sha256(text.encode()).hexdigest(),
                "output": f"clean/{doc_id}.txt",
            }
        )
    rows.append({"id": "broken", "status": "failed", "sha256_out": None, "output": None})
    rows.append({"id": "empty", "status": "skipped", "sha256_out": None, "output": None})
    (run / "manifest.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    (run / "report").mkdir()
    (run / "report" / "run.json").write_text(json.dumps({"run": {"run_id": run_id}}))
    return run


def rid(run: Path) -> str:
    """The run folder's review id, as its report shows it."""
    return review.review_id_of(review.iter_manifest(run))


def tree(dest: Path) -> dict[str, bytes | str]:
    """Everything in DEST: file contents and symlink targets."""
    out: dict[str, bytes | str] = {}
    for p in sorted(dest.rglob("*")):
        rel = str(p.relative_to(dest))
        if p.is_symlink():
            out[rel] = "-> " + str(p.readlink())
        elif p.is_file():
            out[rel] = p.read_bytes()
    return out


def assert_consistent(dest: Path) -> None:
    """DEST/current is one complete publication whose files match its own record."""
    current = dest / "current"
    record = json.loads((current / "publication.json").read_text())
    names = {f["file"] for f in record["files"]}
    on_disk = {
        str(p.relative_to(current))
        for p in current.rglob("*")
        if p.is_file() and p.name != "publication.json"
    }
    assert on_disk == names
    for f in record["files"]:
        assert hashlib.sha256((current / f["file"]).read_bytes()).hexdigest() == f["sha256"]


def test_publish_copies_every_approved_text_and_audits(tmp_path: Path) -> None:
    run = make_run(tmp_path)
    dest = tmp_path / "dest"
    record = publish(run, dest, approved_by="editor", reviewed=rid(run))
    assert record["noop"] is False
    for doc_id, text in TEXTS.items():
        assert (dest / "current" / f"{doc_id}.txt").read_text() == text
    assert not (dest / "current" / "broken.txt").exists()
    assert_consistent(dest)
    audit = [json.loads(line) for line in (dest / "audit.jsonl").read_text().splitlines()]
    assert len(audit) == 1
    assert audit[0]["approved_by"] == "editor"
    assert audit[0]["run_id"] == "run-1"
    assert audit[0]["counts"] == {
        "published": 4,
        "excluded": 0,
        "held_accepted": 0,
        "held_original": 0,
        "restored_spans": 0,
        "not_publishable": {"failed": 1, "skipped": 1},
    }
    assert audit[0]["review"]["review_id"] == rid(run)
    assert audit[0]["review"]["unchanged_since_review"] is True
    assert (dest / "current").is_symlink()


def test_tampered_staged_file_is_refused(tmp_path: Path) -> None:
    run = make_run(tmp_path)
    dest = tmp_path / "dest"
    publish(run, dest, reviewed=rid(run))
    before = tree(dest)
    (run / "clean" / "b.txt").write_text("Second article, edited after review.\n")
    with pytest.raises(PublishError, match="b: staged text differs"):
        publish(run, dest, exclude=["d"], reviewed=rid(run))
    assert tree(dest) == before


def test_missing_staged_file_is_refused(tmp_path: Path) -> None:
    run = make_run(tmp_path)
    (run / "clean" / "nested" / "c.txt").unlink()
    with pytest.raises(PublishError, match=r"nested/c: staged text .* is missing"):
        publish(run, tmp_path / "dest", reviewed=rid(run))
    assert not (tmp_path / "dest").exists()


def test_excluded_ids_are_absent(tmp_path: Path) -> None:
    run = make_run(tmp_path)
    dest = tmp_path / "dest"
    record = publish(run, dest, exclude=["b", "nested/c"], approved_by="editor", reviewed=rid(run))
    assert not (dest / "current" / "b.txt").exists()
    assert not (dest / "current" / "nested" / "c.txt").exists()
    assert (dest / "current" / "a.txt").exists()
    assert record["excluded"] == ["b", "nested/c"]
    assert record["counts"]["published"] == 2
    assert_consistent(dest)


def test_excluding_an_unknown_id_is_refused(tmp_path: Path) -> None:
    run = make_run(tmp_path)
    with pytest.raises(PublishError, match="ids not in the manifest: typo"):
        publish(run, tmp_path / "dest", exclude=["typo"], reviewed=rid(run))


def test_rerun_is_a_noop(tmp_path: Path) -> None:
    run = make_run(tmp_path)
    dest = tmp_path / "dest"
    first = publish(run, dest, exclude=["d"], reviewed=rid(run))
    before = tree(dest)
    again = publish(run, dest, exclude=["d"], reviewed=rid(run))
    assert again["noop"] is True
    assert again["publication"] == first["publication"]
    assert tree(dest) == before


def test_a_new_approval_replaces_the_publication_whole(tmp_path: Path) -> None:
    dest = tmp_path / "dest"
    first = make_run(tmp_path)
    publish(first, dest, reviewed=rid(first))
    second = make_run(tmp_path, {"a": "First article, updated.\n", "e": "New.\n"}, "run-2")
    publish(second, dest, reviewed=rid(second))
    assert sorted(p.name for p in (dest / "current").iterdir()) == [
        "a.txt",
        "e.txt",
        "publication.json",
    ]
    assert len((dest / "audit.jsonl").read_text().splitlines()) == 2
    assert_consistent(dest)


class Crash(BaseException):
    """Stands for the process dying half-way."""


def test_crash_between_files_leaves_dest_consistent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dest = tmp_path / "dest"
    first = make_run(tmp_path)
    publish(first, dest, reviewed=rid(first))
    before = tree(dest)
    second = make_run(tmp_path, {k: v.upper() for k, v in TEXTS.items()}, "run-2")
    real_copy = pub.copy_verified
    copied: list[str] = []

    def dying_copy(text: pub.StagedText, target: Path) -> None:
        if len(copied) == 2:
            raise Crash
        real_copy(text, target)
        copied.append(text.doc_id)

    monkeypatch.setattr(pub, "copy_verified", dying_copy)
    with pytest.raises(Crash):
        publish(second, dest, reviewed=rid(second))
    assert tree(dest) == before  # nothing half-written is visible, nothing half-published
    assert_consistent(dest)
    monkeypatch.setattr(pub, "copy_verified", real_copy)
    publish(second, dest, reviewed=rid(second))
    assert (dest / "current" / "a.txt").read_text() == "FIRST ARTICLE.\n"
    assert_consistent(dest)


def test_killed_process_leaves_dest_consistent(tmp_path: Path) -> None:
    """A real hard exit (no cleanup runs) between two files; the next publish completes."""
    dest = tmp_path / "dest"
    first = make_run(tmp_path)
    publish(first, dest, reviewed=rid(first))
    second = make_run(tmp_path, {k: v.upper() for k, v in TEXTS.items()}, "run-2")
    script = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from flows import publish as pub\n"
        "real = pub.copy_verified\n"
        "n = []\n"
        "def copy(text, target):\n"
        "    if len(n) == 2:\n"
        "        os._exit(9)\n"
        "    real(text, target); n.append(1)\n"
        "pub.copy_verified = copy\n"
        "pub.publish(Path(sys.argv[1]), Path(sys.argv[2]), reviewed=sys.argv[3])\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script, str(second), str(dest), rid(second)],
        cwd=Path(__file__).parent.parent,
        check=False,
    )
    assert proc.returncode == 9
    assert list((dest / ".staging").iterdir())  # the half-built publication is left behind...
    assert (dest / "current" / "a.txt").read_text() == "First article.\n"  # ...but not visible
    assert_consistent(dest)
    publish(second, dest, reviewed=rid(second))
    assert not (dest / ".staging").exists()
    assert (dest / "current" / "a.txt").read_text() == "FIRST ARTICLE.\n"
    assert_consistent(dest)


def test_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = make_run(tmp_path)
    dest = tmp_path / "dest"
    argv = [str(run), "--to", str(dest), "--exclude", "a", "--exclude", "b", "--approved-by", "ed"]
    argv += ["--reviewed", rid(run)]
    assert cli_main(argv) == 0
    assert "published 2 texts" in capsys.readouterr().out
    assert cli_main(argv) == 0
    assert "already published" in capsys.readouterr().out
    (run / "clean" / "d.txt").write_text("tampered\n")
    assert cli_main([str(run), "--to", str(dest), "--reviewed", rid(run)]) == 2
    assert "differs from the manifest" in capsys.readouterr().err


def test_ids_cannot_escape_dest(tmp_path: Path) -> None:
    run = make_run(tmp_path)
    rows = (run / "manifest.jsonl").read_text()
    (run / "manifest.jsonl").write_text(
        rows
        + json.dumps(
            {"id": "../evil", "status": "cleaned", "sha256_out": "0" * 64, "output": "clean/x"}
        )
        + "\n"
    )
    with pytest.raises(PublishError, match="outside"):
        publish(run, tmp_path / "dest", reviewed=rid(run))


def test_approval_defaults_to_not_approved() -> None:
    from flows.publish_flow import Approval

    assert Approval().approve is False
    assert Approval().decisions is None


@pytest.mark.usefixtures("prefect_harness")
def test_publish_flow(tmp_path: Path) -> None:
    from flows.publish_flow import publish_flow

    run = make_run(tmp_path)
    dest = tmp_path / "dest"
    kwargs = {"exclude": ["a"], "approved_by": "editor", "reviewed": rid(run)}
    result = publish_flow(str(run), str(dest), **kwargs)
    assert result["published"] is True
    assert result["counts"]["published"] == 3
    assert not (dest / "current" / "a.txt").exists()
    again = publish_flow(str(run), str(dest), **kwargs)
    assert again["noop"] is True


def test_a_second_publish_into_the_same_dest_refuses(tmp_path: Path) -> None:
    run, dest = make_run(tmp_path), tmp_path / "dest"
    publish(run, dest, reviewed=rid(run))
    before = tree(dest)
    with (dest / ".lock").open("a") as held:
        import fcntl

        fcntl.flock(held, fcntl.LOCK_EX)  # another publisher at work
        with pytest.raises(PublishError, match="another decruft publish"):
            publish(run, dest, exclude=["a"], reviewed=rid(run))
    assert tree(dest) == before
    assert publish(run, dest, exclude=["a"], reviewed=rid(run))["noop"] is False


def test_audit_line_cut_by_a_crash_does_not_swallow_the_next(tmp_path: Path) -> None:
    run, dest = make_run(tmp_path), tmp_path / "dest"
    publish(run, dest, reviewed=rid(run))
    with (dest / pub.AUDIT_LOG).open("a") as fh:
        fh.write('{"event": "publish", "publica')  # killed mid-write
    record = publish(run, dest, exclude=["b"], reviewed=rid(run))
    lines = (dest / pub.AUDIT_LOG).read_text().splitlines()
    assert len(lines) == 3 and json.loads(lines[-1])["publication"] == record["publication"]
    (dest / f".{pub.CURRENT}.999.tmp").symlink_to("publications/x")
    assert publish(run, dest, exclude=["b"], reviewed=rid(run))["noop"] is True
    assert not list(dest.glob(".current.*.tmp"))
