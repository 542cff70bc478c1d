"""The translation catalogues (locale/<language>/LC_MESSAGES/django.po) compiled to the .mo
files Django reads, with Babel: no system gettext needed. `make install` and the test run
compile them (`python -m labitory.catalogues`); the .mo files are build output, not committed.

`problems()` is the completeness check the test suite runs: a catalogue that does not parse,
an entry left untranslated or fuzzy, or a translation whose %(name)s placeholders differ
from its source's is a problem.
"""

import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent / "locale"


def sources(root: Path = ROOT) -> list[Path]:
    return sorted(root.glob("*/LC_MESSAGES/django.po"))


def read(po: Path) -> Catalog:
    with po.open("rb") as source:
        return read_po(source, abort_invalid=True)


def compile_catalogue(po: Path) -> Path:
    """Write the .mo beside the .po; returns its path."""
    mo = po.with_suffix(".mo")
    catalog = read(po)
    with mo.open("wb") as target:
        write_mo(target, catalog, use_fuzzy=False)
    return mo


def problems(po: Path) -> Iterator[str]:
    """What keeps the catalogue from being complete and correct."""
    catalog = read(po)
    for message in catalog:
        if not message.id:
            continue
        name = message.id if isinstance(message.id, str) else message.id[0]
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            yield f"fuzzy: {name!r}"
        elif not all(strings):
            yield f"untranslated: {name!r}"
    for message, errors in catalog.check():
        for error in errors:
            yield f"{error}: {message.id!r}"


def main() -> None:
    for po in sources():
        print(f"compiled {compile_catalogue(po)}")


if __name__ == "__main__":
    main()
    sys.exit(0)
