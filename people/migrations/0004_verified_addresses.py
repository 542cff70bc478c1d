from django.db import migrations


def verify_existing_addresses(apps, schema_editor):
    """Accounts made before allauth were created by site admins: their addresses count as
    verified, so their owners can still sign in."""
    User = apps.get_model("people", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    for user in User.objects.exclude(email=""):
        if not EmailAddress.objects.filter(user=user, email__iexact=user.email).exists():
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0003_accounts_security"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [migrations.RunPython(verify_existing_addresses, migrations.RunPython.noop)]
