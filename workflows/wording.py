"""Turning an event and its context into a subject, a plain-text body and an HTML body.

Each event has default wording in files (workflows/templates/workflows/email/<event>.*);
staff can replace it per event with a MessageTemplate snippet, without a deploy. Both are
Django templates rendered in the facility's time zone: text without HTML escaping, HTML with
it. Wording is rendered from plain values only (workflows.wording_values), never from model
instances, and staff's wording is checked (workflows.wording_check) when saved and again
before it is used. The HTML body sits inside one shared layout (header, button, footer with
a link to the recipient's preferences); without HTML wording, the text is shown as
paragraphs.
"""

import functools
import logging
from dataclasses import dataclass

from django.core.cache import cache
from django.template import Context, Engine, TemplateDoesNotExist, engines
from django.template.base import Template
from django.utils import timezone
from django.utils.html import linebreaks
from django.utils.safestring import mark_safe

from labitory.clock import facility_zone
from workflows import wording_values
from workflows.models import MessageTemplate
from workflows.notifications import EVENTS
from workflows.wording_check import Refused, check_source

logger = logging.getLogger(__name__)
FOLDER = "workflows/email"
CACHE_PREFIX = "workflows:wording:"


@dataclass(frozen=True)
class Wording:
    subject: str
    text: str
    html: str  # the inner HTML body; "" to show the text as paragraphs


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str  # the whole HTML document


class WordingError(ValueError):
    """Wording that cannot be compiled or rendered; `field` says which part."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def engine() -> Engine:
    return engines["django"].engine


def _source(name: str) -> str:
    template = engine().get_template(name)
    return template.source


def default_wording(event: str) -> Wording:
    base = f"{FOLDER}/{event}"
    try:
        html = _source(f"{base}.html")
    except TemplateDoesNotExist:
        html = ""
    return Wording(_source(f"{base}.subject.txt"), _source(f"{base}.txt"), html)


def staff_wording(event: str) -> Wording | None:
    """Staff's wording for the event, if they wrote some (cached; cleared when saved)."""
    cached = cache.get(CACHE_PREFIX + event)
    if cached is None:
        row = MessageTemplate.objects.filter(event=event).first()
        cached = (row.subject, row.text_body, row.html_body) if row else ()
        cache.set(CACHE_PREFIX + event, cached, 300)
    return Wording(*cached) if cached else None


def forget_all_wording(**kwargs) -> None:
    """Receiver: any saved or deleted MessageTemplate (its event may have changed)."""
    cache.delete_many([CACHE_PREFIX + event for event in EVENTS])


@functools.lru_cache(maxsize=256)
def _compiled(source: str) -> Template:
    """Wording is compiled once per process; a change of wording is a new source."""
    return Template(source, engine=engine())


def _render(source: str, context: dict, *, autoescape: bool, using: Engine | None = None) -> str:
    template = Template(source, engine=using) if using else _compiled(source)
    return template.render(Context(context, autoescape=autoescape))


def render(event: str, context: dict, *, wording: Wording | None = None) -> Rendered:
    """The message for `event` in the facility's zone, in `wording` or else staff's or else the
    default, from the plain values of `context` (wording_values). Staff's wording that is
    refused by the check or fails on real values (it was checked only against a sample) falls
    back to the default, so a booking never fails for its email's sake. Explicit `wording`
    that the check refuses raises WordingError. Raises KeyError for an unknown event."""
    values = wording_values.values(event, context)
    if wording is not None:
        if problem := refusal(event, wording):
            raise WordingError(*problem)
        return _message(event, values, wording)
    staff = staff_wording(event)
    if staff is not None:
        try:
            if problem := refusal(event, staff):
                raise WordingError(*problem)
            return _message(event, values, staff)
        except Exception:  # any template error; the default below is tested for every event
            logger.exception("Staff wording for %s failed to render; sent the default.", event)
    return _message(event, values, default_wording(event))


PARTS = ("subject", "text_body", "html_body")


@functools.lru_cache(maxsize=256)
def refusal(event: str, wording: Wording) -> tuple[str, str] | None:
    """(field, reason) for the first part of `wording` the check refuses, else None."""
    for field_name, source in zip(
        PARTS, (wording.subject, wording.text, wording.html), strict=True
    ):
        try:
            check_source(event, source, _checking_engine())
        except Refused as error:
            return field_name, str(error)
        except Exception as error:  # Django's errors for wording that does not compile
            return field_name, f"This does not render: {error}"
    return None


def _message(event: str, values: dict, wording: Wording) -> Rendered:
    spec = EVENTS[event]
    with timezone.override(facility_zone()):
        subject = " ".join(_render(wording.subject, values, autoescape=False).split())
        text = _render(wording.text, values, autoescape=False).strip() + "\n"
        if wording.html.strip():
            body = _render(wording.html, values, autoescape=True)
        else:
            body = linebreaks(text.strip(), autoescape=True)
        html = (
            engine()
            .get_template(f"{FOLDER}/layout.html")
            .render(
                Context(
                    {
                        **values,
                        "subject": subject,
                        "body": mark_safe(body),  # noqa: S308 (escaped above)
                        "action_url": values.get(spec.action_url) or "",
                        "action_label": spec.action_label,
                    }
                )
            )
        )
    return Rendered(subject=subject, text=text, html=html)


@functools.cache
def _checking_engine() -> Engine:
    """The site's engine without the built-ins it adds: `{% load %}` compiles, to be refused
    by the check with its name."""
    base = engine()
    return Engine(
        dirs=base.dirs,
        app_dirs=base.app_dirs,
        libraries=base.libraries,
        builtins=[*Engine.default_builtins],
    )


def check_wording(event: str, wording: Wording, context: dict) -> None:
    """Raise WordingError for the first part that does not compile, uses a name, tag or
    filter the event's wording may not (wording_check), or fails with the sample `context`;
    the subject must not be empty."""
    if problem := refusal(event, wording):
        raise WordingError(*problem)
    values = wording_values.values(event, context)
    parts = zip(PARTS, (wording.subject, wording.text, wording.html), strict=True)
    with timezone.override(facility_zone()):
        for field_name, source in parts:
            try:
                output = _render(
                    source, values, autoescape=field_name == "html_body", using=_checking_engine()
                )
            except Exception as error:  # any template error, e.g. a failing filter
                raise WordingError(field_name, f"This does not render: {error}") from error
            if field_name == "subject" and not output.strip():
                raise WordingError("subject", "The subject renders empty.")
