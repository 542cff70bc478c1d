"""Finds Python strings meant for people that are not marked for translation.

A string is taken to be meant for people when it reads like words: a capitalised word
("Booked") or two words with a space between ("Choose a project"). It is excused when it is
a docstring, inside a translation call, a message for developers (logging, ValueError and
kin), a dict key or subscript, or compared with something. An f-string with words in it is
always reported (it cannot be translated; use `_("… %(name)s …") % {...}`), and so is a
strftime pattern with month or weekday names (%B, %b, %A, %a), which are English whatever the
language: format dates with labitory.dates or django.utils.formats.date_format.
"""

import ast
import re
from collections.abc import Iterator
from pathlib import Path

TRANSLATING = frozenset(
    {
        "_",
        "gettext",
        "gettext_lazy",
        "ngettext",
        "ngettext_lazy",
        "pgettext",
        "pgettext_lazy",
        "gettext_noop",
    }
)
# Messages for developers and operators, which stay English.
DEVELOPER = frozenset(
    {
        "ValueError",
        "TypeError",
        "KeyError",
        "LookupError",
        "RuntimeError",
        "AttributeError",
        "NotImplementedError",
        "AssertionError",
        "ImproperlyConfigured",
        "DoesNotExist",
        "TransactionManagementError",
        "Gone",
        # Type variables, and the audit log's data (stored, read by staff in any language).
        "TypeVar",
        "log",
        "debug",
        "info",
        "warning",
        "error",
        "exception",
        "critical",
    }
)
WORDS = re.compile(r"[A-Za-z]{2,} +[A-Za-z]|^[A-Z][a-z]+")
NAMED_DATE = re.compile(r"%[-]?[AaBb]")
SQL = re.compile(r"\s*(SELECT|WITH|FOR UPDATE|UPDATE|INSERT|DELETE)\b")


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _docstrings(tree: ast.Module) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _excused(tree: ast.Module) -> set[int]:
    """Ids of nodes whose strings are not for people, or are marked already."""
    excused: set[int] = set()

    def cover(node: ast.AST) -> None:
        excused.update(id(inner) for inner in ast.walk(node))

    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _name(node.func) in TRANSLATING | DEVELOPER:
            cover(node)
        elif isinstance(node, ast.Dict):
            for key in node.keys:
                if key is not None:
                    cover(key)
        elif isinstance(node, ast.Subscript):
            cover(node.slice)
        elif isinstance(node, ast.Compare):
            cover(node)
    return excused | _docstrings(tree)


def unmarked(path: Path, allowed: frozenset[str] = frozenset()) -> Iterator[tuple[int, str]]:
    """(line, text) of each string in the module that people read but nobody marked."""
    tree = ast.parse(path.read_text(), filename=str(path))
    excused = _excused(tree)
    for node in ast.walk(tree):
        if id(node) in excused:
            continue
        if isinstance(node, ast.FormattedValue) and node.format_spec is not None:
            spec = "".join(
                part.value
                for part in ast.walk(node.format_spec)
                if isinstance(part, ast.Constant) and isinstance(part.value, str)
            )
            if NAMED_DATE.search(spec):
                yield node.lineno, f"date pattern with English names: {spec}"
        elif isinstance(node, ast.JoinedStr):
            text = "".join(
                part.value
                for part in node.values
                if isinstance(part, ast.Constant) and isinstance(part.value, str)
            )
            if WORDS.search(text) and text not in allowed and not SQL.match(text):
                yield node.lineno, f"f-string: {text}"
            excused.update(id(part) for part in node.values if isinstance(part, ast.Constant))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
            if WORDS.search(text) and text not in allowed and not SQL.match(text):
                yield node.lineno, text
