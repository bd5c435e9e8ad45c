from django.db import migrations


def load(apps, schema_editor):
    from polmas.surveys.instruments import standard_ensure

    standard_ensure(apps)


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
