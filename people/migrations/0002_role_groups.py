from django.db import migrations

from people.roles import Role


def create_role_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for role in Role.ALL:
        Group.objects.get_or_create(name=role)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_role_groups, migrations.RunPython.noop)]
