"""The analyst's review: review.html in headless Chromium (real clicks, a real download),
the judgements file it writes replayed by ``graphbuild build --judgements``, the CLI that
appends to it, and the errors a bad file gets.

The corpus has known duplicates, written by hand (expected values counted by hand below):
OAS / Organization of American States (acronym), Muammar Qadhafi / Qadafi (spelling),
NLA / National Liberation Army (acronym), Carlos Gomez / Carlos Gamez (two people: the
merge to reject), F-16 (not an entity), Petrobras annotated PER twice and ORG once (type),
and "Uribe", which resolution gives to Alvaro Uribe everywhere, though d3 is about the
senator Mario Uribe (the scoped decision).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import graphbuild as gb
from graphbuild.cli import app
from graphbuild.core.diagnostics import InputError
from graphbuild.resolve.judgements import parse_judgements
from html_support import offsite, open_page, wait_ready

DOCS = {
    "d1.txt": "¶1. [PER Alvaro Uribe  ] met [PER Muammar Qadhafi  ] and the [ORG Organization "
              "of American States  ] in [LOC Caracas  ] .\n¶2. [PER Muammar Qadafi  ] praised "
              "[PER Alvaro Uribe  ] ; the [ORG OAS  ] said nothing about [ORG F-16  ] sales "
              ".\n¶3. [PER Petrobras  ] and [PER Alvaro Uribe  ] signed in [LOC Caracas  ] .\n",
    "d2.txt": "¶1. [PER Uribe  ] told [PER Muammar Qadhafi  ] that the [ORG OAS  ] would meet "
              "in [LOC Caracas  ] .\n¶2. [PER Uribe  ] and [PER Alvaro Uribe  ] ... [ORG "
              "Petrobras  ] and [PER Petrobras  ] bid for [ORG F-16  ] parts .\n",
    "d3.txt": "¶1. [PER Mario Uribe  ] , the senator , met [PER Uribe  ] 's lawyers in [LOC "
              "Bogota  ] with [ORG Organization of American States  ] observers .\n¶2. [PER "
              "Uribe  ] denied links to [PER Muammar Qadafi  ] in [LOC Bogota  ] .\n",
    "d4.txt": "¶1. [PER Hugo Chavez  ] met [PER Carlos Gomez  ] and the [ORG National "
              "Liberation Army  ] in [LOC Caracas  ] .\n¶2. [PER Hugo Chavez  ] and [PER Carlos "
              "Gamez  ] spoke of the [ORG OAS  ] and the [ORG NLA  ] .\n",
}
BEFORE = {"Alvaro Uribe", "Bogota", "Caracas", "Carlos Gamez", "Carlos Gomez", "F-16",
          "Hugo Chavez", "Mario Uribe", "Muammar Qadafi", "Muammar Qadhafi", "NLA",
          "National Liberation Army", "OAS", "Organization of American States", "Petrobras"}
AFTER = BEFORE - {"F-16", "NLA", "OAS", "Muammar Qadhafi"}


def _build(corpus: Path, out: Path, *extra: str):
    r = CliRunner().invoke(app, ["build", str(corpus), "-o", str(out), *extra])
    assert r.exit_code == 0, r.output
    return gb.load(out)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("dup")
    for name, text in DOCS.items():
        (src / name).write_text(text, encoding="utf-8")
    return src


@pytest.fixture(scope="module")
def built(corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("built") / "out"
    eg = _build(corpus, out)
    assert set(eg.entities["label"]) == BEFORE
    # the trap: resolution gives every lone "Uribe" to Alvaro, d3's too
    m = eg.mentions
    assert set(m.loc[m["surface"] == "Uribe", "entity_id"]) == {"alvaro-uribe"}
    return out


def _card(page, names: str):
    return page.locator(".card", has=page.locator(".names", has_text=names))


@pytest.mark.browser
def test_review_page_decisions_replayed(browser, corpus, built, tmp_path):
    r = CliRunner().invoke(app, ["review", "--in", str(built), "-o",
                                 str(tmp_path / "review.html")], env={"COLUMNS": "80"})
    assert r.exit_code == 0, r.output
    assert all(len(line) <= 80 for line in r.output.splitlines())
    page, log = open_page(browser, url=(tmp_path / "review.html").as_uri())
    wait_ready(page)
    _card(page, "Organization of American States = OAS").locator(".accept").click()
    _card(page, "Muammar Qadafi = Muammar Qadhafi").locator(".accept").click()
    _card(page, "National Liberation Army = NLA").locator(".accept").click()
    _card(page, "Carlos Gamez = Carlos Gomez").locator(".reject").click()
    _card(page, "F-16").locator(".accept").click()
    petro = _card(page, "Petrobras")
    petro.locator(".edit").click()
    assert petro.locator("select.type").input_value() == "ORG"      # the suggestion
    petro.locator(".accept").click()
    uribe = _card(page, "Alvaro Uribe")                # split: only d3, into Mario Uribe
    uribe.locator(".edit").click()
    assert uribe.locator("input.label").input_value() == "Mario Uribe"
    assert uribe.locator(".doclist input:checked").evaluate_all(
        "xs => xs.map(x => x.value)") == ["d3"]
    uribe.locator(".accept").click()
    page.fill("#by", "tester <b>")
    with page.expect_download() as info:
        page.click("#download button")
    judgements = tmp_path / "judgements.toml"
    info.value.save_as(judgements)
    assert offsite(log) == [] and log.errors == [] and log.dialogs == []
    page.context.close()

    parsed = parse_judgements(judgements.read_text(encoding="utf-8"), "j")
    assert [j.kind for j in parsed.items] == ["merge", "merge", "merge", "distinct",
                                              "exclude", "retype", "split"]
    assert all(j.by == "tester <b>" and j.when for j in parsed.items)

    eg = _build(corpus, tmp_path / "after", "--judgements", str(judgements))
    ents = eg.entities.set_index("label")
    assert set(ents.index) == AFTER
    assert ents.loc["Petrobras", "type"] == "ORG"
    assert ents.loc["Organization of American States", "mentions"] == 5   # 2 + OAS 3
    assert ents.loc["Muammar Qadafi", "mentions"] == 4
    # the rejected pair stays apart; the scoped split touched d3 only
    assert {"Carlos Gamez", "Carlos Gomez"} <= set(ents.index)
    m = eg.mentions[eg.mentions["surface"] == "Uribe"]
    by_doc = {d: sorted(set(g)) for d, g in m.groupby("doc_id")["entity_id"]}
    assert by_doc == {"d2": ["alvaro-uribe"], "d3": ["mario-uribe"]}
    assert ents.loc["Alvaro Uribe", "mentions"] == 6 and ents.loc["Mario Uribe", "mentions"] == 3
    assert eg.mentions.loc[eg.mentions["surface"] == "F-16", "status"].eq("dropped").all()
    assert eg.settings["judgements"]["applied"] == 7 and eg.settings["judgements"]["stale"] == []
    report = (tmp_path / "after" / "report.md").read_text(encoding="utf-8")
    assert "7 judgements from" in report and "none is stale" in report


def test_cli_commands_append_and_build_replays(corpus, built, tmp_path):
    file = tmp_path / "j.toml"
    runner = CliRunner()
    for args in (["merge", "OAS", "Organization of American States"],
                 ["merge", "Muammar Qadhafi", "Muammar Qadafi", "--label", "Muammar Qaddafi"],
                 ["distinct", "Carlos Gamez", "Carlos Gomez", "--why", "two people"],
                 ["split", "Alvaro Uribe", "--docs", "d3", "--label", "Mario Uribe"],
                 ["exclude", "F-16"], ["retype", "Petrobras", "org"]):
        r = runner.invoke(app, [*args, "--in", str(built), "-j", str(file)])
        assert r.exit_code == 0, r.output
        assert f"{file}:" in r.output
    assert file.read_text().count("[[") == 6 and 'why = "two people"' in file.read_text()
    r = runner.invoke(app, ["merge", "Nobody", "OAS", "--in", str(built), "-j", str(file)])
    assert r.exit_code == 2 and "Nobody" in r.output
    assert file.read_text().count("[[") == 6          # nothing appended on an error
    eg = _build(corpus, tmp_path / "out", "--judgements", str(file))
    labels = set(eg.entities["label"])
    # a merge is labelled by its first name unless --label says otherwise
    assert labels == (BEFORE - {"F-16", "Organization of American States",
                                "Muammar Qadhafi", "Muammar Qadafi"}
                      | {"Muammar Qaddafi"})


def test_rejection_is_remembered_and_merges_are_transitive(corpus, tmp_path):
    file = tmp_path / "j.toml"
    file.write_text('[[distinct]]\nnames = ["Alvaro Uribe", "Uribe"]\n\n'
                    '[[merge]]\nnames = ["OAS", "Organization of American States"]\n\n'
                    '[[merge]]\nnames = ["Organization of American States", "NLA"]\n')
    eg = gb.build(str(corpus), judgements=file)
    m = eg.mentions
    assert set(m.loc[m["surface"] == "Uribe", "entity_id"]) == {"uribe"}     # all docs
    ents = eg.entities.set_index("entity_id")
    assert ents.loc["uribe", "mentions"] == 4 and ents.loc["alvaro-uribe", "mentions"] == 4
    # OAS = Organization of American States = NLA: one entity (a bad decision, but the
    # user's), labelled by the first name's entity
    oas = ents[ents["label"] == "OAS"]
    assert len(oas) == 1 and oas["mentions"].iloc[0] == 3 + 2 + 1


@pytest.mark.parametrize("text,line,message", [
    ('[[merge]]\nnames = ["Anna Berg", "Boris Kahn"]\n\n'
     '[[merge]]\nnames = ["Boris Kahn", "Clara Diaz"]\n\n'
     '[[distinct]]\nnames = ["Anna Berg", "Clara Diaz"]\n', 7, "contradiction"),
    ('[[merge]]\nnames = ["Anna Berg", "Boris Kahn"]\n\n[[exclude]\nname = "Clara Diaz"\n', 4, ""),
    ('[[merge]]\nnames = ["Anna Berg", "Boris Kahn"]\nwho = "me"\n', 1, "unknown key(s) who"),
    ('\n\n[[retype]]\nname = "Anna Berg"\ntype = "PERSON"\n', 3, "unknown type 'PERSON'"),
    ('[[split]]\nname = "Anna Berg"\n', 1, "missing docs"),
    ('[[frobnicate]]\nname = "Anna Berg"\n', 1, "unknown table(s) frobnicate"),
])
def test_bad_judgements_files(tmp_path, text, line, message):
    src = tmp_path / "in"
    src.mkdir()
    (src / "d.txt").write_text("¶1. [PER Anna Berg  ] met [PER Boris Kahn  ] and [PER Clara "
                               "Diaz  ] .\n")
    file = tmp_path / "j.toml"
    file.write_text(text)
    r = CliRunner().invoke(app, ["build", str(src), "-o", str(tmp_path / "out"),
                                 "--judgements", str(file)])
    assert r.exit_code == 2, r.output
    assert f"{file}:{line}" in r.output.replace("\n", "") or (
        f"line {line}" in r.output), r.output
    assert message in r.output and "Traceback" not in r.output
    assert not (tmp_path / "out").exists()


def test_stale_judgements_warn_with_file_and_line(corpus, tmp_path):
    file = tmp_path / "j.toml"
    file.write_text('[[merge]]\nnames = ["OAS", "Organization of American States"]\n\n'
                    '[[exclude]]\nname = "Nobody At All"\n\n'
                    '[[exclude]]\nname = "F-16"\ndocs = ["d9"]\n\n'
                    '[[exclude]]\nname = "F-16"\ndocs = ["d3"]\n')
    eg = gb.build(str(corpus), judgements=file)
    stale = [p for p in eg.diagnostics.warnings if p.code == "stale-judgement"]
    assert [(p.line, "Nobody At All" in p.message or "'d9'" in p.message
             or "no mention in those documents" in p.message) for p in stale] \
        == [(4, True), (7, True), (11, True)]
    assert all(p.source_path == str(file) for p in stale)
    assert len(eg.settings["judgements"]["stale"]) == 3
    # F-16 is named in d1 and d2 only: nothing was excluded
    assert set(eg.mentions.loc[eg.mentions["surface"] == "F-16", "status"]) == {"kept"}


def test_parse_round_trips_what_the_writer_writes():
    from graphbuild.resolve.judgements import Judgement, judgement_toml

    tricky = 'Ali "Chemical" \\ Hassan\n<script>'
    text = judgement_toml(Judgement("merge", [tricky, "B"], "", label="x", docs=["d1"],
                                    why="line1\nline2"))
    j = parse_judgements(text, "j").items[0]
    assert j.names == [tricky, "B"] and j.why == "line1\nline2" and j.docs == ["d1"]
    with pytest.raises(InputError, match="names must be a list"):
        parse_judgements('[[distinct]]\nnames = ["only one"]\n', "j")


NODE_ON_SCREEN = """(name) => { const g = graphbuild;
    const i = g.data.nodes.findIndex(d => d.label === name);
    g.network.moveTo({position: g.network.getPositions([i])[i], scale: 1});
    const c = g.network.canvasToDOM(g.network.getPositions([i])[i]);
    const box = document.getElementById('graph').getBoundingClientRect();
    return {x: c.x + box.left, y: c.y + box.top}; }"""


@pytest.mark.browser
def test_graph_page_this_is_wrong(browser, corpus, built, tmp_path):
    page, log = open_page(browser, url=(built / "graph.html").as_uri())
    wait_ready(page)

    def panel_of(name):
        at = page.evaluate(NODE_ON_SCREEN, name)
        page.wait_for_timeout(300)
        page.mouse.click(at["x"], at["y"])
        page.wait_for_selector("#panel-body details.wrong")
        assert page.text_content("#panel-body h2") == name
        page.click("#panel-body details.wrong summary")

    assert page.is_hidden("#judgements")
    panel_of("F-16")
    page.click("#panel-body .judge-exclude")
    panel_of("Petrobras")
    page.select_option("#panel-body .judge-type", "ORG")
    page.click("#panel-body .judge-retype")
    panel_of("OAS")
    page.fill("#panel-body .judge-other", "Organization of American States")
    page.click("#panel-body .judge-merge")
    assert page.text_content("#judgements") == "judgements.toml (3)"
    with page.expect_download() as info:
        page.click("#judgements")
    file = tmp_path / "judgements.toml"
    info.value.save_as(file)
    assert log.errors == [] and offsite(log) == []
    page.context.close()
    eg = _build(corpus, tmp_path / "after", "--judgements", str(file))
    ents = eg.entities.set_index("label")
    assert set(ents.index) == BEFORE - {"F-16", "Organization of American States"}
    assert ents.loc["Petrobras", "type"] == "ORG" and ents.loc["OAS", "mentions"] == 5


@pytest.mark.browser
def test_review_page_keeps_hostile_names_inert(browser, tmp_path):
    payloads = ['<img src=x onerror="window.__xss=1;alert(1)">',
                "</script><script>window.__xss=2</script>", '"><svg onload="window.__xss=3">']
    src = tmp_path / "in"
    src.mkdir()
    (src / "d.txt").write_text(
        f"¶1. [ORG {payloads[0]}  ] met [PER Ana Diaz  ] and [PER {payloads[1]} Diaz  ] .\n"
        f"¶2. [ORG {payloads[2]}  ] and [PER Ana Diaz  ] and [ORG {payloads[0]}  ] .\n",
        encoding="utf-8")
    out = tmp_path / "out"
    _build(src, out)
    r = CliRunner().invoke(app, ["review", "--in", str(out)])
    assert r.exit_code == 0, r.output
    page, log = open_page(browser, url=(out / "review.html").as_uri())
    wait_ready(page)
    cards = page.locator(".card")
    assert cards.count() >= 1
    for i in range(cards.count()):
        cards.nth(i).locator(".edit").click()
        cards.nth(i).locator(".accept").click()
    text = page.text_content("#toml")
    assert any(p in text or p.replace('"', '\\"') in text for p in payloads)  # as data
    assert page.evaluate("window.__xss") is None and log.dialogs == [] and log.errors == []
    assert offsite(log) == []
    page.context.close()


def test_a_place_named_for_two_places_is_a_split_candidate(tmp_path):
    import json

    from graphbuild.measures.candidates import review_candidates

    def doc(i, origin, text, spans):
        return {"id": f"d{i}", "text": text, "meta": {"origin": origin},
                "spans": [{"start": text.index(s), "end": text.index(s) + len(s), "label": t}
                          for s, t in spans]}

    tbilisi = [("Georgia", "LOC"), ("Saakashvili", "PER"), ("Russia", "LOC")]
    atlanta = [("Georgia", "LOC"), ("Atlanta", "LOC"), ("Coca-Cola", "ORG")]
    rows = [doc(0, "Embassy Tbilisi", "¶1. Georgia and Saakashvili warned Russia.", tbilisi),
            doc(1, "Embassy Tbilisi", "¶1. Saakashvili said Georgia fears Russia.", tbilisi),
            doc(2, "Consulate Atlanta", "¶1. Georgia hosts Atlanta firms like Coca-Cola.",
                atlanta),
            doc(3, "Consulate Atlanta", "¶1. Coca-Cola of Atlanta lobbies Georgia.", atlanta)]
    (tmp_path / "c.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    c = review_candidates(gb.build(tmp_path / "c.jsonl"))
    split = c[c["rule"] == "split-place"]
    assert len(split) == 1 and split["names"].iloc[0] == ["Georgia"]
    assert split["docs"].iloc[0] in (["d0", "d1"], ["d2", "d3"])
    # a place not on the list is never a candidate, however its documents group
    rows = [{**r, "text": r["text"].replace("Georgia", "Armenia")} for r in rows]
    for r in rows:
        r["spans"][0] = {"start": r["text"].index("Armenia"),
                         "end": r["text"].index("Armenia") + 7, "label": "LOC"}
    (tmp_path / "c.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    c = review_candidates(gb.build(tmp_path / "c.jsonl"))
    assert (c["rule"] == "split-place").sum() == 0
