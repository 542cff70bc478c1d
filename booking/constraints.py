"""A PostgreSQL exclusion constraint that other databases simply do not create.

On SQLite the same guarantee comes from serialised (IMMEDIATE) write transactions and the
booking service's own check under them.
"""

from django.contrib.postgres.constraints import ExclusionConstraint


class PostgresExclusionConstraint(ExclusionConstraint):
    def constraint_sql(self, model, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return None
        return super().constraint_sql(model, schema_editor)

    def create_sql(self, model, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return None
        return super().create_sql(model, schema_editor)

    def remove_sql(self, model, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return None
        return super().remove_sql(model, schema_editor)

    def validate(self, model, instance, exclude=None, using="default"):
        # The booking service checks overlaps itself and gives a friendly error.
        return None
