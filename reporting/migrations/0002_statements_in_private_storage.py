"""Statements move to the private storage (labitory.storage.private_storage) under random
names; existing PDFs are moved out of MEDIA_ROOT/statements/ (reporting/services/
statement_files.py, also `manage.py move_statements_to_private_storage`)."""

import sys

from django.db import migrations, models

import labitory.storage
import reporting.models.statements


def move_existing_files(apps, schema_editor) -> None:
    from reporting.services.statement_files import move_statement_files

    statement = apps.get_model("reporting", "Statement")
    outcome = move_statement_files(statement, report=lambda line: print(line, file=sys.stderr))
    if outcome.moved or outcome.missing:
        print(
            f"\n  Statements: {len(outcome.moved)} files moved to private storage, "
            f"{len(outcome.missing)} missing.",
            file=sys.stderr,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="statement",
            name="file",
            field=models.FileField(
                blank=True,
                storage=labitory.storage.private_storage,
                upload_to=reporting.models.statements.statement_file_name,
            ),
        ),
        migrations.RunPython(move_existing_files, migrations.RunPython.noop, elidable=True),
    ]
