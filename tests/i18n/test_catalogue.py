"""The German catalogue compiles and is complete; the check catches what it should."""

from labitory.catalogues import ROOT, compile_catalogue, problems, sources


def test_german_is_shipped():
    assert ROOT / "de" / "LC_MESSAGES" / "django.po" in sources()


def test_every_catalogue_compiles_with_no_untranslated_or_fuzzy_entry():
    for po in sources():
        assert list(problems(po)) == [], po
        assert compile_catalogue(po).stat().st_size > 0


def test_the_check_finds_untranslated_fuzzy_and_broken_entries(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Booked"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Down"\nmsgstr "Außer Betrieb"\n\n'
        '#, python-format\nmsgid "Project %(project)s"\nmsgstr "Projekt %(projekt)s"\n',
        encoding="utf-8",
    )
    found = list(problems(po))
    assert "untranslated: 'Booked'" in found
    assert "fuzzy: 'Down'" in found
    assert any(
        "Project %(project)s" in problem for problem in found if "untranslated" not in problem
    )
