"""Move the tracking codes that earlier versions wrote into stored messages (an SMS or
WhatsApp acknowledgement, a webhook's kept reply) into the encrypted `secret` column, leaving
models.CODE_SLOT in their place. Idempotent: a body without a code is left alone."""

import re

from django.db import migrations

CODE = re.compile(r"\b[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}\b")
SLOT = "[[kode]]"


def forwards(apps, schema_editor):
    for name, text in (("OutboundMessage", "body"), ("InboundMessage", "reply")):
        model = apps.get_model("reports", name)
        for row in model.objects.filter(**{f"{text}__contains": "-"}).iterator():
            value = getattr(row, text)
            found = CODE.search(value)
            if found is None:
                continue
            setattr(row, text, value.replace(found.group(0), SLOT))
            row.secret = found.group(0)
            row.save(update_fields=[text, "secret"])


class Migration(migrations.Migration):
    dependencies = [("reports", "0010_report_held_and_message_secrets")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
