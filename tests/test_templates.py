"""Learned site templates (cleaners/templates.py): normalisation, counting, merging in any
order, the decision, the rules file, and the cleaner on data cases and synthetic corpora."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from casefiles import ids, load

from cleaners import REGISTRY, clean, get_chain
from cleaners.templates import (
    MAX_KEYS,
    THRESHOLDS,
    LineCount,
    SiteTemplates,
    SourceCounts,
    SourceRules,
    TemplateLine,
    TemplateTable,
    add_veto,
    decide,
    line_key,
    line_prefixes,
    merge,
    name_key,
    normalise,
    parse_rules,
    rule_key,
    template_category,
    why_not,
)

# --- data cases ---------------------------------------------------------------------------


def case_templates(case: dict[str, Any]) -> SiteTemplates:
    """A case's ``templates``: ``[line, docs, documents, ("pin" | "veto")?]`` entries."""
    lines: dict[str, TemplateLine] = {}
    vetoed: set[str] = set()
    for entry in case["templates"]:
        key = rule_key(entry[0])
        assert key is not None
        kind = entry[3] if len(entry) > 3 else None
        if kind == "veto":
            vetoed.add(key)
        else:
            lines[key] = TemplateLine(entry[1], entry[2], pinned=kind == "pin")
    source = case.get("for_source", case["source"])
    return SiteTemplates(source, {k: v for k, v in lines.items() if k not in vetoed})


def run_case(case: dict[str, Any]):
    templates = case_templates(case)
    use = templates if templates.source == case["source"] else None
    return clean(case["text"], case["source"], rules=["site_template_v1"], max_share=1.0,
                 templates=use)  # fmt: skip


WILD = load("templates", "in_the_wild")
SYNTHETIC = load("templates", "synthetic")
KEEP = load("templates", "must_not_change")
KNOWN = load("templates", "known_failures")


@pytest.mark.parametrize("case", WILD + SYNTHETIC, ids=ids(WILD + SYNTHETIC))
def test_removes_template_lines(case: dict[str, Any]) -> None:
    result = run_case(case)
    assert result.text == case["expected"]
    assert {r.rule for r in result.removals} == {"site_template_v1"}
    for removal in result.removals:
        assert case["text"][removal.start : removal.end] == removal.text
        assert case["source"] in removal.reason


@pytest.mark.parametrize("case", WILD + SYNTHETIC, ids=ids(WILD + SYNTHETIC))
def test_idempotent(case: dict[str, Any]) -> None:
    templates = case_templates(case)
    once = clean(case["text"], case["source"], templates=templates, max_share=1.0).text
    assert clean(once, case["source"], templates=templates, max_share=1.0).text == once


@pytest.mark.parametrize("case", KEEP, ids=ids(KEEP))
def test_must_not_change(case: dict[str, Any]) -> None:
    assert run_case(case).removals == ()


@pytest.mark.xfail(strict=True, reason="known limitation, kept as a target")
@pytest.mark.parametrize("case", KNOWN, ids=ids(KNOWN))
def test_known_failures(case: dict[str, Any]) -> None:
    assert run_case(case).text == case["expected"]


def test_rule_in_default_chain_last_with_docs() -> None:
    names = [c.name for c in get_chain()]
    assert names[-1] == "site_template_v1"
    assert "Leaves alone" in (REGISTRY["site_template_v1"].find.__doc__ or "")


def test_without_templates_nothing_changes() -> None:
    text = "The council approved the budget.\n\nAdvertisement\n"
    assert clean(text, "Acme", rules=["site_template_v1"]).removals == ()


# --- normalisation --------------------------------------------------------------------------


def test_normalise_folds_case_punctuation_digits_and_dates() -> None:
    assert normalise("Copyright © 2019 The Washington Times, LLC.") == normalise(
        "COPYRIGHT (c) 2021 the Washington Times LLC"
    ).replace(" c ", " ")
    assert normalise("Updated Jan. 5, 2019, 9:31 a.m.") == normalise(
        "Updated March 12, 2020 10:02 AM"
    )
    assert normalise("Don’t miss it") == "dont miss it"
    assert line_key("___") is None
    assert line_key("2019") is None
    assert line_key("x" * 2000) is None


def test_categories_by_what_the_line_says() -> None:
    assert template_category("advertisement") == "ad"
    assert template_category("copyright 0 acme media all rights reserved") == "nav"
    assert template_category("sign up for our newsletters") == "promo"
    assert template_category("usa today") == "template"


# --- synthetic multi-site corpora -------------------------------------------------------------

_WORD_TEXT = (
    "council budget mayor vote city tax school road plan court judge law state senator bill "
    "report police water fire park health board union market price trade energy farm bank "
    "election campaign voter district river bridge hospital nurse teacher student"
)
WORDS = _WORD_TEXT.split()


def sentence(rng: random.Random, words: int = 14) -> str:
    body = " ".join(rng.choice(WORDS) for _ in range(words))
    return body[0].upper() + body[1:] + "."


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(2, 4)))


QUOTE = (
    "“We will not stop until every family in this state has clean water to drink, and we "
    "will hold every official who failed them to account,” the governor said on Monday."
)


def corpus(seed: int = 7) -> list[dict[str, str]]:
    """Three sites: Acme (60 docs: copyright tail with varying years, a mid-text label, an
    edition label in 40% of documents, a quote shared by 3 articles), Beta (40 docs: a head label),
    Tiny (8 docs, all carrying the same line: too few documents to learn)."""
    rng = random.Random(seed)
    docs: list[dict[str, str]] = []
    for i in range(60):
        parts = [paragraph(rng), "ACME EXTRA", paragraph(rng), paragraph(rng)]
        if i in (3, 17, 41):
            parts.insert(2, QUOTE)
        if i % 5 < 2:
            parts.append("Acme Weekend Edition")
        parts.append(
            f"Copyright © {2015 + i % 8} Acme Media, LLC. Click here for reprint permission."
        )
        docs.append({"id": f"acme-{i:03d}", "source": "Acme", "text": "\n\n".join(parts) + "\n"})
    for i in range(40):
        parts = ["TOP STORIES TODAY" if i % 4 else "Live coverage", paragraph(rng), paragraph(rng)]
        parts.append("The Associated Press contributed to this report.")
        docs.append({"id": f"beta-{i:03d}", "source": "Beta", "text": "\n\n".join(parts) + "\n"})
    for i in range(8):
        parts = [paragraph(rng), "Tiny Gazette exclusive", paragraph(rng)]
        docs.append({"id": f"tiny-{i:03d}", "source": "Tiny", "text": "\n\n".join(parts) + "\n"})
    return docs


def learn(docs: list[dict[str, str]], batch: int = 0) -> TemplateTable:
    if not batch:
        table = TemplateTable()
        for d in docs:
            table.add(d["source"], d["text"])
        return table
    tables = []
    for start in range(0, len(docs), batch):
        part = TemplateTable()
        for d in docs[start : start + batch]:
            part.add(d["source"], d["text"])
        tables.append(part)
    return merge(tables)


def clean_all(
    docs: list[dict[str, str]], table: TemplateTable, rules: dict[str, SourceRules] | None = None
):
    site = {s: SiteTemplates.build(s, c, (rules or {}).get(s)) for s, c in table.sources.items()}
    return {d["id"]: clean(d["text"], d["source"], templates=site.get(d["source"])) for d in docs}


def template_removals(result) -> list[str]:
    return [r.text for r in result.removals if r.rule == "site_template_v1"]


def test_template_lines_removed_and_content_kept() -> None:
    docs = corpus()
    results = clean_all(docs, learn(docs))
    acme = results["acme-000"]
    assert "Copyright © 2015 Acme Media, LLC. Click here for reprint permission." not in acme.text
    assert "Acme Weekend Edition" not in acme.text
    assert "ACME EXTRA" not in acme.text
    # the quote three articles share is content: kept in all of them
    for doc_id in ("acme-003", "acme-017", "acme-041"):
        assert QUOTE in results[doc_id].text
    # a contributor note is the article's own, however often it recurs
    assert "The Associated Press contributed to this report." in results["beta-001"].text
    # Beta's head label, in 30 of 40 documents, goes; "Live coverage" (10 of 40) too
    assert "TOP STORIES TODAY" not in results["beta-001"].text
    reasons = {r.reason for r in results["beta-001"].removals if r.rule == "site_template_v1"}
    assert "line seen in 30 of 40 'Beta' documents" in reasons
    # no paragraph of prose is ever removed
    for result in results.values():
        for text in template_removals(result):
            assert len(text) < 100, text


def test_small_source_learns_nothing() -> None:
    docs = corpus()
    table = learn(docs)
    assert decide(table.sources["Tiny"]) == {}
    results = clean_all(docs, table)
    assert all(not template_removals(results[f"tiny-{i:03d}"]) for i in range(8))
    assert "Tiny Gazette exclusive" in results["tiny-000"].text


def test_small_source_of_ten_documents_learns_only_strong_evidence() -> None:
    rng = random.Random(5)
    docs = []
    for i in range(14):
        parts = ["AD" if i else "Live", paragraph(rng), "AD", paragraph(rng)]
        if i < 3:  # three of fourteen: too few for a small source
            parts.append("Follow our coverage on Twitter")
        docs.append({"id": f"p{i}", "source": "Post", "text": "\n\n".join(parts) + "\n"})
    results = clean_all(docs, learn(docs))
    assert all("AD" not in r.text.split("\n") for r in results.values())
    assert "Follow our coverage on Twitter" not in template_removals(results["p0"])


def test_article_published_again_keeps_its_paragraphs() -> None:
    """An article the source published (or updated) several times carries the same lines
    between the same paragraphs: not a template, whatever words it holds."""
    rng = random.Random(9)
    story = [paragraph(rng) for _ in range(4)]
    note = "Support for the measure: follow the vote on our live page"
    docs = []
    for i in range(40):
        if i % 8 == 0:  # five copies of one story
            parts = [story[0], story[1], note, story[2], story[3]]
        else:
            parts = [paragraph(rng), "Advertisement", paragraph(rng)]
        docs.append({"id": f"r{i}", "source": "Repost", "text": "\n\n".join(parts) + "\n"})
    table = learn(docs)
    assert set(decide(table.sources["Repost"], source="Repost")) == {"advertisement"}
    results = clean_all(docs, table)
    assert note not in template_removals(results["r0"]) + template_removals(results["r32"])


CREDITS = ["Saul Loeb/AFP/Getty Images", "Evan Vucci/AP", "Liz Halloran/NPR", "Alex Wong/Getty"]


def caption_corpus(seed: int = 4) -> list[dict[str, str]]:
    """One site (50 documents) whose photos carry 'Enlarge this image toggle caption <credit>'
    and whose videos 'JUST WATCHED <title> Replay More Videos'; prose lines that open with the
    same words as chrome elsewhere ('Watch the vote ...', 'Photos released by police ...')."""
    rng = random.Random(seed)
    docs = []
    for i in range(50):
        credit = f"{sentence(rng, 2)[:-1]}/{CREDITS[i % len(CREDITS)]}"
        parts = [paragraph(rng)]
        if i % 3:
            parts.append(f"Enlarge this image toggle caption {credit} {credit}")
        parts.append(paragraph(rng))
        if i % 4 == 0:
            parts.append(f"JUST WATCHED {sentence(rng, 5)} Replay More Videos ... MUST WATCH")
        if i % 10 == 0:
            parts.append("Watch the vote closely, she said, because it decides the budget.")
        if i in (7, 19):
            parts.append("Photos released by police show the suspect leaving the bank.")
        parts.append(paragraph(rng))
        docs.append({"id": f"c{i}", "source": "Caps", "text": "\n\n".join(parts) + "\n"})
    return docs


def test_line_openings_learned_whole_lines_removed() -> None:
    docs = caption_corpus()
    table = learn(docs)
    decided = decide(table.sources["Caps"], source="Caps")
    assert "enlarge this image …" in decided and "just watched …" in decided
    results = clean_all(docs, table)
    for doc in docs:
        text = results[doc["id"]].text
        assert "Enlarge this image" not in text and "JUST WATCHED" not in text
    assert "Watch the vote closely" in results["c0"].text  # prose opening with 'Watch'
    assert "Photos released by police" in results["c7"].text
    site = SiteTemplates.build("Caps", table.sources["Caps"])
    alone = clean(docs[1]["text"], "Caps", rules=["site_template_v1"], templates=site)
    reasons = {r.reason for r in alone.removals}
    assert "line opening 'enlarge this image' seen in 33 of 50 'Caps' documents" in reasons
    # a veto (an opening ends with '...') keeps them; a pin of an opening removes
    rules = parse_rules('[source."Caps"]\nveto = ["Enlarge this image ..."]\n')
    kept = clean_all(docs, table, rules)
    assert not [t for t in template_removals(kept["c1"]) if t.startswith("Enlarge")]
    assert "JUST WATCHED" not in kept["c0"].text
    pinned = parse_rules('[source."Caps"]\npin = ["Watch the vote ...", "Park school…"]\n')
    assert "Watch the vote closely" not in clean_all(docs, table, pinned)["c0"].text
    text = "Park school trade is open.\n\nThe park is closed today.\n"
    site = SiteTemplates.build("Caps", None, pinned["Caps"])
    assert clean(text, "Caps", templates=site, max_share=1.0).text == "The park is closed today.\n"


def test_line_openings_that_end_like_sentences_are_prose() -> None:
    rng = random.Random(2)
    docs = []
    for i in range(40):
        lead = f"Photo ID laws were {sentence(rng, 6)}."
        parts = [paragraph(rng), lead if i % 2 else "Advertisement", paragraph(rng)]
        docs.append({"id": f"v{i}", "source": "Votes", "text": "\n\n".join(parts) + "\n"})
    table = learn(docs)
    assert set(decide(table.sources["Votes"], source="Votes")) == {"advertisement"}


def test_line_prefixes() -> None:
    def prefixes(line: str) -> tuple[str, ...]:
        return line_prefixes(line, line_key(line) or "")

    assert prefixes("Enlarge this image toggle caption Evan Vucci/AP Evan Vucci/AP") == (
        "enlarge this image …",
    )
    assert "just watched …" in prefixes("JUST WATCHED Seoul says it Replay More Videos")
    assert prefixes("More On This... Panetta: Pentagon to shift warships") == ("more on this …",)
    assert prefixes("CLOSE A federal judge on Tuesday blocked the order") == ("close …",)
    assert prefixes("FILE PHOTO: Senator Bernie Sanders speaks in Iowa")[-1] == "file photo …"
    # prose: no strong word of chrome in its opening, or 'close' not in capitals
    assert prefixes("Close to 40 percent of voters said they would stay home") == ()
    assert prefixes("Share prices fell sharply on Monday after the report") == ()
    assert prefixes("Support for the bill has grown among Republicans") == ()
    assert prefixes("Advertisement") == ()  # a whole line is no opening


AUTHORS = ["Jane Roe", "John Nolte", "Pam Key", "Ali Vance", "Kevin Daley", "Sam Ochoa"]


def test_author_lines_learned_with_names_as_slots() -> None:
    rng = random.Random(6)
    docs = []
    for i in range(40):
        author = AUTHORS[i % len(AUTHORS)]
        handle = "@" + author.replace(" ", "").lower()
        parts = [paragraph(rng), paragraph(rng)]
        if i % 5 == 0:
            parts.append(f"{author} said in an email that the plan would fail.")
        if i % 7 == 0:
            parts.append(f"{author} contributed to this report.")
        parts.append(f"Follow {author} on Twitter {handle}")
        docs.append({"id": f"a{i}", "source": "Wire", "text": "\n\n".join(parts) + "\n"})
    table = learn(docs)
    assert "follow <n> on <n>" in decide(table.sources["Wire"], source="Wire")
    site = SiteTemplates.build("Wire", table.sources["Wire"])
    for doc in docs:
        result = clean(doc["text"], "Wire", rules=["site_template_v1"], templates=site)
        assert "Follow " not in result.text
        assert all(r.category == "byline" for r in result.removals)
    kept = clean(docs[0]["text"], "Wire", rules=["site_template_v1"], templates=site).text
    assert "said in an email" in kept and "contributed to this report" in kept


def test_name_key() -> None:
    def shaped(line: str) -> str | None:
        return name_key(line, line_key(line))

    assert shaped("Follow Daniel González on Twitter: @azdangonzalez") == "follow <n> on <n>"
    assert shaped("Follow @JohnKingCNN") == "follow <n>"
    assert shaped("Write to Byron Tau at byron.tau@wsj.com") == "write to <n> at <n>"
    assert (
        shaped("Jack Shafer is Politico's senior media writer.") == "<n> is <n> senior media writer"
    )
    # reported speech, the article's own notes, lines without a name or contact words: none
    assert shaped("Smith said in an email that the plan would fail.") is None
    assert shaped("Nahal Toosi contributed to this report.") is None
    assert shaped("follow the money") is None
    assert shaped("The Senate voted on Tuesday.") is None


PITCH = (
    "Every day at Acme, we aim to answer your most important questions and provide you with "
    "information that has the power to change lives. Our mission has never been more vital. "
    "Acme's work is reaching more people than ever, but explanatory journalism takes resources. "
    "Your financial contribution will not constitute a donation, but it will enable our staff "
    "to continue to offer free articles and videos. Please consider making a contribution today."
)


def test_long_pitch_paragraphs_learned_quoted_ones_kept() -> None:
    rng = random.Random(8)
    quoted = "“" + " ".join(sentence(rng, 12) for _ in range(5)) + " Subscribe,” she said."
    docs = []
    for i in range(40):
        parts = [paragraph(rng), paragraph(rng)]
        if i % 4 == 0:
            parts.insert(1, quoted)
        parts.append(paragraph(rng))
        if i % 4 == 1:
            parts.append(PITCH)
        docs.append({"id": f"l{i}", "source": "Acme", "text": "\n\n".join(parts) + "\n"})
    assert len(PITCH) > 400 and len(quoted) > 400
    table = learn(docs)
    site = SiteTemplates.build("Acme", table.sources["Acme"])
    pitched = clean(docs[1]["text"], "Acme", rules=["site_template_v1"], templates=site)
    assert PITCH not in pitched.text and pitched.removals[0].category == "promo"
    kept = clean(docs[0]["text"], "Acme", rules=["site_template_v1"], templates=site)
    assert quoted in kept.text


def test_order_and_batching_do_not_matter() -> None:
    docs = corpus()
    reference = learn(docs)
    expected = {k: (r.text, r.removals) for k, r in clean_all(docs, reference).items()}
    for seed, batch in ((1, 7), (2, 1), (3, 50), (4, 0)):
        shuffled = list(docs)
        random.Random(seed).shuffle(shuffled)
        table = learn(shuffled, batch)
        assert json.dumps(table.to_json()) == json.dumps(reference.to_json())
        got = {k: (r.text, r.removals) for k, r in clean_all(shuffled, table).items()}
        assert got == expected
    # merging is commutative and associative
    a, b, c = learn(docs[:30]), learn(docs[30:70]), learn(docs[70:])
    left = merge([merge([a, b]), c]).to_json()
    right = merge([learn(docs[70:]), merge([learn(docs[30:70]), learn(docs[:30])])]).to_json()
    assert left == right == reference.to_json()


def test_table_round_trips_through_json() -> None:
    table = learn(corpus())
    again = TemplateTable.from_json(json.loads(json.dumps(table.to_json())))
    assert again.to_json() == table.to_json()


def test_table_is_bounded() -> None:
    counts = SourceCounts()
    rng = random.Random(1)
    for i in range(3 * MAX_KEYS):
        counts.add_text(f"{sentence(rng, 6)} {i:x}{'q' * (i % 7)}\n\nAdvertisement\n")
    assert len(counts.lines) <= 2 * MAX_KEYS
    assert counts.lines[line_key("Advertisement") or ""].docs == 3 * MAX_KEYS


def test_decision_shapes() -> None:
    documents = 200
    apart = tuple(range(8))  # seen between different paragraphs in 8 documents
    label = LineCount(docs=12, head=0, tail=0, contexts=apart)
    assert why_not("advertisement", label, documents) is None
    sentence_mid = LineCount(docs=20, head=0, tail=0, contexts=apart)  # 10%, in the middle
    key = "get the acme stories you care about delivered to your inbox by signing up today"
    assert why_not(key, sentence_mid, documents) is not None
    sentence_tail = LineCount(docs=20, head=0, tail=20, contexts=apart)  # always closing
    assert why_not(key, sentence_tail, documents) is None
    assert why_not("advertisement", label, THRESHOLDS.min_source_docs - 1) is not None
    assert why_not("updated at 0 0 pm et", LineCount(docs=150, contexts=apart), documents)
    # as frequent as any chrome, but saying nothing of chrome: a series' section head
    heading = LineCount(docs=200, examples=("What’s next",), contexts=apart)
    assert "heading" in (why_not("whats next", heading, documents, source="Yahoo") or "")
    usa = LineCount(docs=90, head=90, contexts=apart)
    assert why_not("usa today", usa, 150, source="USA TODAY") is None
    bracketed = LineCount(docs=20, examples=("[pullquote]",), contexts=apart)
    assert why_not("pullquote", bracketed, 150) is None
    # a copyright sign is chrome (normalising drops it)
    agency = LineCount(docs=3, tail=3, examples=("© 2018 Tribune Content Agency, LLC",))
    assert why_not("0 tribune content agency llc", agency, 74) is not None  # one context
    agency.contexts = apart
    assert why_not("0 tribune content agency llc", agency, 74) is None
    # a sentence quoting someone needs a quarter of the source, wherever it sits
    said = "Watch the vote closely, she said on Monday."
    quote = LineCount(docs=20, tail=20, examples=(said,), contexts=apart)
    assert "quoted" in (why_not(line_key(said) or "", quote, 200) or "")
    # a source of 10-29 documents learns only what a quarter of them carry
    assert why_not("advertisement", LineCount(docs=13, contexts=apart), 14) is None
    assert why_not("advertisement", LineCount(docs=3, contexts=apart), 14) is not None
    # the same line between the same paragraphs: one article published again, not a template
    again = LineCount(docs=9, tail=9, contexts=(5,))
    assert "published again" in (why_not("follow kyle smith on twitter", again, 23) or "")


def test_section_heads_of_a_series_are_kept() -> None:
    rng = random.Random(3)
    docs = []
    for i in range(40):
        parts = ["What’s happening", paragraph(rng), "Why there’s debate", paragraph(rng)]
        parts += ["From the Right", paragraph(rng), "Kyle Smith, National Review"]
        docs.append({"id": f"s{i}", "source": "The Roundup", "text": "\n\n".join(parts) + "\n"})
    table = learn(docs)
    assert decide(table.sources["The Roundup"], source="The Roundup") == {}
    results = clean_all(docs, table)
    assert all(not template_removals(r) for r in results.values())


# --- the rules file -------------------------------------------------------------------------


def test_veto_and_pin_honoured() -> None:
    docs = corpus()
    rules = parse_rules(
        '[source."Acme"]\n'
        'veto = ["Acme extra"]\n'
        'pin = ["Acme Weekend Edition", "Not in any document"]\n'
        '[source."Tiny"]\n'
        'pin = ["Tiny Gazette exclusive"]\n'
    )
    results = clean_all(docs, learn(docs), rules)
    assert "\nACME EXTRA\n" in results["acme-000"].text
    assert "Acme Weekend Edition" not in results["acme-000"].text
    assert "Tiny Gazette exclusive" not in results["tiny-000"].text
    pinned = [r for r in results["tiny-000"].removals if r.rule == "site_template_v1"]
    assert pinned and "pinned" in pinned[0].reason


def test_veto_rules_do_not_run_for_the_source() -> None:
    text = "The council approved the budget.\n\nAdvertisement\n"
    removed_by = {r.rule for r in clean(text, "Acme").removals}
    assert removed_by
    templates = SiteTemplates("Acme", {}, veto_rules=tuple(removed_by))
    result = clean(text, "Acme", templates=templates)
    assert not removed_by & {r.rule for r in result.removals}
    assert clean(text, "Other", templates=None).removals


def test_add_veto_writes_the_documented_format(tmp_path: Path) -> None:
    path = tmp_path / "templates" / "rules.toml"
    assert add_veto(path, "Politico", rule="tip_line_v2")
    assert add_veto(path, "Politico", line="Story Continued Below")
    assert not add_veto(path, "Politico", line="STORY CONTINUED BELOW:")  # same key
    assert not add_veto(path, "Politico", rule="tip_line_v2")
    assert add_veto(path, 'The "Quoted" Times', line="Advertisement", rule="page_label_v1")
    text = path.read_text("utf-8")
    assert '[source."Politico"]' in text and 'veto = ["Story Continued Below"]' in text
    rules = parse_rules(text)
    assert rules["Politico"].veto_rules == ("tip_line_v2",)
    assert rules["Politico"].veto == {"story continued below"}
    assert rules['The "Quoted" Times'].veto_rules == ("page_label_v1",)
    with pytest.raises(ValueError):
        add_veto(path, "Politico")


def test_parse_rules_refuses_what_it_cannot_read() -> None:
    for bad in ("[source", '[source."A"]\nveto = "x"\n', '[source."A"]\nvetos = ["x"]\n'):
        with pytest.raises(ValueError):
            parse_rules(bad)
    assert parse_rules("") == {}


def test_digests_change_only_with_what_a_document_may_lose() -> None:
    docs = corpus()
    table = learn(docs)
    acme = SiteTemplates.build("Acme", table.sources["Acme"])
    counted_more = learn(docs + docs[:5])
    again = SiteTemplates.build("Acme", counted_more.sources["Acme"])
    assert acme.digest() == again.digest()  # counts moved, decisions did not
    vetoed = SiteTemplates.build(
        "Acme", table.sources["Acme"], SourceRules(veto=frozenset({"acme extra"}))
    )
    assert vetoed.digest() != acme.digest()
    without_ad = "Some text.\n\nMore text.\n"
    with_ad = "Some text.\n\nAcme Extra\n"
    assert acme.document_digest(without_ad) == vetoed.document_digest(without_ad)
    assert acme.document_digest(with_ad) != vetoed.document_digest(with_ad)


# --- the flow: learning pass, persistence, reuse ----------------------------------------------


def write_corpus(folder: Path, docs: list[dict[str, str]], name: str = "corpus.jsonl") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    with path.open("w", encoding="utf-8") as fh:
        for d in docs:
            fh.write(json.dumps(d, ensure_ascii=False) + "\n")
    return path


def clean_texts(out: Path) -> dict[str, str]:
    return {
        str(p.relative_to(out / "clean").with_suffix("")): p.read_text("utf-8")
        for p in sorted((out / "clean").rglob("*.txt"))
    }


def statuses(out: Path) -> dict[str, str]:
    from flows.store import read_manifest

    return {row["id"]: row["status"] for row in read_manifest(out)}


COPYRIGHT = "Acme Media, LLC. Click here for reprint permission."


def test_flow_learns_removes_and_reports(prefect_harness: None, tmp_path: Path) -> None:
    from flows.clean_flow import clean_flow
    from flows.templates_pass import slug

    docs = corpus()
    write_corpus(tmp_path / "src", docs)
    out = tmp_path / "out"
    clean_flow(str(tmp_path / "src"), str(out), batch_size=17)
    texts = clean_texts(out)
    assert all(COPYRIGHT not in t for k, t in texts.items() if "acme-" in k)
    assert QUOTE in texts["corpus/acme-003"]
    assert "Tiny Gazette exclusive" in texts["corpus/tiny-000"]
    stored = json.loads((out / "templates" / f"{slug('Acme')}.json").read_text("utf-8"))
    assert stored["documents"] == 60
    lines = {t["key"]: t for t in stored["templates"]}
    assert lines["acme extra"]["docs"] == 60 and lines["acme extra"]["examples"] == ["ACME EXTRA"]
    assert any(m["why_not"] for m in stored["not_templates"])
    tiny = json.loads((out / "templates" / f"{slug('Tiny')}.json").read_text("utf-8"))
    assert tiny["learns"] is False and tiny["templates"] == []
    assert (out / "templates" / "rules.toml").read_text("utf-8").startswith("# decruft")
    report = json.loads((out / "report" / "report.json").read_text("utf-8"))
    acme = report["templates"]["sources"]["Acme"]
    by_key = {t["key"]: t for t in acme["templates"]}
    assert by_key["acme extra"]["removals"] == 60
    assert report["stats"]["by_rule"]["site_template_v1"]["documents"] >= 60
    index = (out / "report" / "index.html").read_text("utf-8")
    assert "Learned site templates" in index and "ACME EXTRA" in index


def test_flow_output_does_not_depend_on_order_or_batching(
    prefect_harness: None, tmp_path: Path
) -> None:
    from flows.clean_flow import clean_flow

    docs = corpus()
    write_corpus(tmp_path / "a", docs)
    shuffled = list(docs)
    random.Random(5).shuffle(shuffled)
    write_corpus(tmp_path / "b", shuffled)
    clean_flow(str(tmp_path / "a"), str(tmp_path / "out-a"), batch_size=500)
    clean_flow(str(tmp_path / "b"), str(tmp_path / "out-b"), batch_size=7)
    assert clean_texts(tmp_path / "out-a") == clean_texts(tmp_path / "out-b")
    for name in ("out-a", "out-b"):
        assert (tmp_path / name / "templates").is_dir()
    files_a = sorted(p.name for p in (tmp_path / "out-a" / "templates").glob("*.json"))
    for name in files_a:
        a = (tmp_path / "out-a" / "templates" / name).read_text("utf-8")
        assert a == (tmp_path / "out-b" / "templates" / name).read_text("utf-8")


def test_later_small_run_uses_earlier_counts(prefect_harness: None, tmp_path: Path) -> None:
    from flows.clean_flow import clean_flow

    docs = corpus()
    out = tmp_path / "out"
    write_corpus(tmp_path / "hour1", docs)
    clean_flow(str(tmp_path / "hour1"), str(out))
    fresh = [
        {"id": f"new-{i}", "source": "Acme", "text": f"{paragraph(random.Random(i))}\n\n"
         f"Copyright © 2026 {COPYRIGHT}\n"}
        for i in range(3)
    ]  # fmt: skip
    write_corpus(tmp_path / "hour2", fresh)
    result = clean_flow(str(tmp_path / "hour2"), str(out))
    texts = clean_texts(out)
    for i in range(3):
        assert COPYRIGHT not in texts[f"corpus/new-{i}"]
    report = json.loads(Path(result["report"]["json"]).read_text("utf-8"))
    assert report["templates"]["counted_now"] == 3
    assert report["templates"]["sources"]["Acme"]["documents"] == 63
    # the same inputs again count nothing twice
    clean_flow(str(tmp_path / "hour2"), str(out))
    report = json.loads(Path(result["report"]["json"]).read_text("utf-8"))
    assert report["templates"]["counted_now"] == 0
    assert report["templates"]["sources"]["Acme"]["documents"] == 63


def test_changed_templates_reprocess_only_affected_documents(
    prefect_harness: None, tmp_path: Path
) -> None:
    from flows.clean_flow import clean_flow

    docs = corpus()
    write_corpus(tmp_path / "src", docs)
    out = tmp_path / "out"
    clean_flow(str(tmp_path / "src"), str(out))
    assert set(statuses(out).values()) <= {"cleaned", "unchanged"}
    clean_flow(str(tmp_path / "src"), str(out))
    assert set(statuses(out).values()) == {"reused"}
    add_veto(out / "templates" / "rules.toml", "Acme", line="Acme Weekend Edition")
    clean_flow(str(tmp_path / "src"), str(out))
    seen = statuses(out)
    carrying = {f"corpus/acme-{i:03d}" for i in range(60) if i % 5 < 2}
    assert {k for k, v in seen.items() if v != "reused"} == carrying
    texts = clean_texts(out)
    assert all("Acme Weekend Edition" in texts[k] for k in carrying)


def test_flow_without_templates(prefect_harness: None, tmp_path: Path) -> None:
    from flows.clean_flow import clean_flow

    write_corpus(tmp_path / "src", corpus())
    out = tmp_path / "out"
    clean_flow(str(tmp_path / "src"), str(out), templates=False)
    assert not (out / "templates").exists()
    report = json.loads((out / "report" / "report.json").read_text("utf-8"))
    assert report["templates"] is None
    assert "site_template_v1" not in report["stats"]["by_rule"]


def test_html_extracted_once_gives_the_same_outputs(prefect_harness: None, tmp_path: Path) -> None:
    """The templates pass hands its HTML extractions to the clean pass: same texts, titles
    and dropped widgets as a run that extracts in the clean pass."""
    from flows.clean_flow import clean_flow

    rng = random.Random(11)
    site = tmp_path / "src" / "acme.example"
    site.mkdir(parents=True)
    for i in range(34):
        body = "".join(f"<p>{paragraph(rng)}</p>" for _ in range(4))
        share = '<div class="share-buttons">Share on Facebook Tweet Email</div>' if i % 2 else ""
        (site / f"page{i:02d}.html").write_text(
            f"<html><head><title>Story {i}: {sentence(rng, 5)}</title></head><body>"
            f"<article><h1>Story {i}</h1>{share}{body}<p>Acme Weekend Edition</p></article>"
            "</body></html>",
            "utf-8",
        )
    (site / "broken.html").write_text("<html><body></body></html>", "utf-8")
    on, off = tmp_path / "on", tmp_path / "off"
    clean_flow(str(tmp_path / "src"), str(on), batch_size=10)
    clean_flow(str(tmp_path / "src"), str(off), batch_size=10, templates=False)
    texts_on, texts_off = clean_texts(on), clean_texts(off)
    assert set(texts_on) == set(texts_off) and len(texts_on) == 34
    for key, text in texts_off.items():
        assert texts_on[key] == text.replace("\n\nAcme Weekend Edition\n", "\n"), key
    assert all("Acme Weekend Edition" not in t for t in texts_on.values())
    rows_on = {
        r["id"]: r for r in json.loads((on / "report" / "report.json").read_text())["documents"]
    }
    rows_off = {
        r["id"]: r for r in json.loads((off / "report" / "report.json").read_text())["documents"]
    }
    for doc_id, row in rows_off.items():
        assert rows_on[doc_id]["dom_removals"] == row["dom_removals"]
        assert rows_on[doc_id]["title"] == row["title"]
        assert rows_on[doc_id]["reason"] == row["reason"]


def test_run_killed_while_counting_counts_nothing_twice(
    prefect_harness: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows import templates_pass
    from flows.clean_flow import clean_flow

    write_corpus(tmp_path / "src", corpus())
    out = tmp_path / "out"
    real_inputs = templates_pass.inputs

    def dies_half_way(*args: Any, **kwargs: Any):
        for n, item in enumerate(real_inputs(*args, **kwargs)):
            if n == 50:
                raise KeyboardInterrupt("killed")
            yield item

    monkeypatch.setattr(templates_pass, "inputs", dies_half_way)
    with pytest.raises(BaseException, match="killed"):
        clean_flow(str(tmp_path / "src"), str(out), batch_size=10)
    monkeypatch.undo()
    result = clean_flow(str(tmp_path / "src"), str(out), batch_size=10)
    report = json.loads(Path(result["report"]["json"]).read_text("utf-8"))
    assert report["templates"]["counted_now"] == 108
    assert report["templates"]["sources"]["Acme"]["documents"] == 60
