# Reports are routed after intake, in batches (ADR 11). Every report stored before this
# was routed when it arrived: it counts as routed then.

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('regions', '0001_initial'),
        ('reports', '0006_redundant_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='report',
            name='routed_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='routed at'),
        ),
        migrations.RunSQL("UPDATE reports_report SET routed_at = created_at", migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name='report',
            index=models.Index(condition=models.Q(('routed_at__isnull', True)), fields=['id'], name='report_unrouted'),
        ),
    ]
