from django.core.management.base import BaseCommand, CommandError

from polmas.surveys.collection import links_issue
from polmas.surveys.models import SampleVillage


class Command(BaseCommand):
    help = "Print one-time web links for residents of a sampled village (each takes one answer)."

    def add_arguments(self, parser):
        parser.add_argument("--sample", type=int, required=True, help="the sample (wave) id")
        parser.add_argument("--village", required=True, help="the sampled village's code")
        parser.add_argument("--count", type=int, default=1, help="how many links (1-1000)")
        parser.add_argument("--base-url", default="http://127.0.0.1:8000", help="the site's address")

    def handle(self, *args, **options):
        if not 1 <= options["count"] <= 1000:
            raise CommandError("--count: must be between 1 and 1000")
        sv = SampleVillage.objects.filter(sample_id=options["sample"],
                                          village_code=options["village"]).first()
        if sv is None:
            raise CommandError(f"--village: {options['village']} is not in sample {options['sample']}")
        for token in links_issue(actor=None, sample_village=sv, count=options["count"]):
            self.stdout.write(f"{options['base_url'].rstrip('/')}/survei/{token}/")
