"""The check on staff's wording: only the event's listed names, harmless tags and filters.

Run when wording is saved in the admin (a field error says what is wrong and what may be
used) and again before saved wording is used (wording that slipped in some other way, e.g. a
data migration, is not used: the default wording is sent instead). It reads the compiled
template, so branches a sample would not take are checked too.

Tags are limited to `if`, `for`, `comment`, `spaceless`, `firstof` and `now`: `include`,
`extends`, `load`, `debug`, `url`, `with` and the rest could reach other templates, other
code or the whole context. `for` goes through lists of text only. Filters are a list of
formatting ones; `safe` and friends are refused, so a booker's note never becomes HTML.
"""

from collections.abc import Iterator

from django.template import Engine, Template
from django.template.base import FilterExpression, Node, NodeList, TextNode, Variable, VariableNode
from django.template.defaulttags import (
    CommentNode,
    FirstOfNode,
    ForNode,
    IfNode,
    NowNode,
    SpacelessNode,
    TemplateLiteral,
)

from workflows.wording_values import listed_names

TAGS = {
    IfNode: "if",
    ForNode: "for",
    CommentNode: "comment",
    SpacelessNode: "spaceless",
    FirstOfNode: "firstof",
    NowNode: "now",
}
FILTERS = frozenset(
    [
        "add",
        "capfirst",
        "center",
        "cut",
        "date",
        "default",
        "default_if_none",
        "divisibleby",
        "first",
        "floatformat",
        "join",
        "last",
        "length",
        "linebreaks",
        "linebreaksbr",
        "ljust",
        "lower",
        "pluralize",
        "rjust",
        "slice",
        "stringformat",
        "striptags",
        "time",
        "timesince",
        "timeuntil",
        "title",
        "truncatechars",
        "truncatewords",
        "upper",
        "urlencode",
        "urlize",
        "wordcount",
        "wordwrap",
        "yesno",
    ]
)
FORLOOP = frozenset(("counter", "counter0", "revcounter", "revcounter0", "first", "last"))
CONSTANTS = frozenset(("True", "False", "None"))  # names every Django context holds


class Refused(ValueError):
    """Wording that uses something it may not; the message says what and what may be used."""


def _tag_name(node: Node) -> str:
    token = getattr(node, "token", None)
    return token.contents.split()[0] if token is not None else type(node).__name__


def _condition(condition) -> Iterator[FilterExpression]:
    """The expressions inside an `if` condition (smartif's operator tree)."""
    if isinstance(condition, TemplateLiteral):
        yield condition.value
        return
    for part in (getattr(condition, "first", None), getattr(condition, "second", None)):
        if part is not None:
            yield from _condition(part)


def _expressions(nodes: NodeList, loop_names: frozenset[str]):
    """(expression, loop names in scope, is a `for` sequence) for every expression; Refused
    for a tag that is not allowed."""
    for node in nodes:
        if isinstance(node, TextNode | CommentNode | NowNode):
            continue
        if isinstance(node, VariableNode):
            yield node.filter_expression, loop_names, False
        elif type(node) not in TAGS:
            raise Refused(
                f"The tag “{_tag_name(node)}” cannot be used in message wording. "
                f"These can: {', '.join(TAGS.values())}."
            )
        elif isinstance(node, IfNode):
            for condition, branch in node.conditions_nodelists:
                if condition is not None:
                    yield from ((e, loop_names, False) for e in _condition(condition))
                yield from _expressions(branch, loop_names)
        elif isinstance(node, ForNode):
            yield node.sequence, loop_names, True
            yield from _expressions(node.nodelist_loop, loop_names | set(node.loopvars))
            yield from _expressions(node.nodelist_empty, loop_names)
        elif isinstance(node, FirstOfNode):
            yield from ((e, loop_names, False) for e in node.vars)
        elif isinstance(node, SpacelessNode):
            yield from _expressions(node.nodelist, loop_names)


def _name_allowed(lookups: tuple[str, ...], listed: dict, loop_names: frozenset[str]) -> bool:
    if lookups[0] in CONSTANTS or lookups[0] in loop_names:
        return len(lookups) == 1
    if lookups[0] == "forloop":
        return len(lookups) == 1 or (len(lookups) == 2 and lookups[1] in FORLOOP)
    return ".".join(lookups) in listed


def _check_variable(variable, event: str, listed: dict, loop_names: frozenset[str]) -> None:
    if not isinstance(variable, Variable) or variable.lookups is None:
        return  # a literal: "approved", 1
    if not _name_allowed(variable.lookups, listed, loop_names):
        raise Refused(
            f"Unknown name “{'.'.join(variable.lookups)}”. This message can use: "
            + ", ".join(listed)
            + "."
        )


def _check_expression(expression, event: str, listed: dict, loop_names, sequence: bool):
    _check_variable(expression.var, event, listed, loop_names)
    for function, arguments in expression.filters:
        name = getattr(function, "_filter_name", function.__name__)
        if name not in FILTERS:
            raise Refused(
                f"The filter “{name}” cannot be used in message wording. "
                f"These can: {', '.join(sorted(FILTERS))}."
            )
        for is_lookup, argument in arguments:
            if is_lookup:
                _check_variable(argument, event, listed, loop_names)
    if sequence:
        lookups = getattr(expression.var, "lookups", None) or ()
        lists = [path for path, name in listed.items() if name.many]
        if ".".join(lookups) not in lists:
            raise Refused(f"“for” goes through a list only: {', '.join(lists)}.")


def check_source(event: str, source: str, engine: Engine) -> None:
    """Refused when `source` uses a name, tag or filter `event`'s wording may not; Django's
    TemplateSyntaxError when it does not compile."""
    listed = listed_names(event)
    template = Template(source, engine=engine)
    for expression, loop_names, sequence in _expressions(template.nodelist, frozenset()):
        _check_expression(expression, event, listed, loop_names, sequence)
