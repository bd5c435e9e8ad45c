from django.db import migrations


def load(apps, schema_editor):
    from polmas.reports.catalogue import CATEGORIES

    Category = apps.get_model("reports", "Category")
    for order, (code, name_id, name_en, keywords, sensitive, mediable, group) in enumerate(CATEGORIES):
        Category.objects.update_or_create(code=code, defaults={
            "name_id": name_id, "name_en": name_en, "keywords": keywords, "sensitive": sensitive,
            "mediable": mediable, "group": group, "order": (order + 1) * 10,
        })


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
