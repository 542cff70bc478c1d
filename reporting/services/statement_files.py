"""Moving statement PDFs made before statements had private storage: from the public media
storage (MEDIA_ROOT/statements/YYYY/MM/statement-<period>-<code>.pdf, which nginx and the
development server published) into the private storage under a random name.

The migration `reporting.0002_statements_in_private_storage` runs it once;
`manage.py move_statements_to_private_storage` runs it again, for instance after restoring
old media files. Safe to run any number of times: a statement whose file is already in the
private storage is left alone.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.files import File
from django.core.files.storage import Storage, storages
from django.db.models import Model

from ..models.statements import statement_file_name


@dataclass
class MovedFiles:
    """What one run did, statement ids per outcome."""

    moved: list[int] = field(default_factory=list)
    already_private: list[int] = field(default_factory=list)
    missing: list[int] = field(default_factory=list)


def move_statement_files(
    statement_model: type[Model],
    *,
    public: Storage | None = None,
    report: Callable[[str], None] = lambda line: None,
) -> MovedFiles:
    """Move each statement's file that is still in `public` (the default storage) into the
    statement's own (private) storage under a new name, and point the row at it. A file found
    in neither is reported and its row left as it is. `statement_model` is the app's model,
    or the historical one inside a migration."""
    public = public or storages["default"]
    private = statement_model._meta.get_field("file").storage
    outcome = MovedFiles()
    rows = statement_model.objects.exclude(file="").order_by("pk").values_list("pk", "file")
    for pk, name in rows.iterator():
        if private.exists(name):
            outcome.already_private.append(pk)
        elif public.exists(name):
            move_one(statement_model, pk, name, public=public, private=private)
            outcome.moved.append(pk)
        else:
            outcome.missing.append(pk)
            report(f"Statement {pk}: its file {name} is in neither storage; re-run it.")
    return outcome


def move_one(
    statement_model: type[Model], pk: int, name: str, *, public: Storage, private: Storage
) -> None:
    """Copy, point the row at the copy, then delete the public file: stopped half way, the
    row still names a file that exists, and a second run finishes the job."""
    with public.open(name, "rb") as source:
        new_name = private.save(statement_file_name(None, name), File(source, name=name))
    statement_model.objects.filter(pk=pk).update(file=new_name)
    public.delete(name)
