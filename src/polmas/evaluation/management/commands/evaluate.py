"""`polmas evaluate --intervention NAME --outcome reports --json`: estimate and save a run."""

import json

from django.core.management.base import BaseCommand, CommandError

from polmas.evaluation import estimators as E
from polmas.evaluation.models import Intervention
from polmas.evaluation.panel import OUTCOMES
from polmas.evaluation.services import (
    EvaluationError,
    evaluate,
    intervention_from_programme,
    interventions_derive,
)
from polmas.evaluation.survey import SURVEY_OUTCOMES

KEYS = ("method", "estimate_pct", "ci_low_pct", "ci_high_pct", "pre_trend_p", "n_treated",
        "n_comparison")


class Command(BaseCommand):
    help = "Estimate an intervention's effect (Callaway-Sant'Anna) and save the run."

    def add_arguments(self, parser):
        parser.add_argument("--intervention", help="slug or name of the intervention")
        parser.add_argument("--outcome", default="reports",
                            choices=sorted([*OUTCOMES, *SURVEY_OUTCOMES]))
        parser.add_argument("--pool", default=E.NEVER, choices=E.POOLS)
        parser.add_argument("--from", dest="period_from", type=int, help="first month, YYYYMM")
        parser.add_argument("--to", dest="period_to", type=int, help="last month, YYYYMM")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--json", action="store_true", help="print the result as JSON")
        parser.add_argument("--derive", action="store_true",
                            help="first (re)derive the interventions from postings and FKPMs")
        parser.add_argument("--list", action="store_true", help="list the interventions")
        parser.add_argument("--programme", type=int,
                            help="a partner programme's id: register it as an intervention "
                            "(its places, comparison villages and period) and evaluate it")

    def handle(self, *args, **o):
        if o["derive"]:
            interventions_derive()
        if o["programme"] is not None:
            from polmas.partners.models import Programme

            programme = Programme.objects.filter(pk=o["programme"]).first()
            if programme is None:
                raise CommandError(f"no programme {o['programme']}")
            try:
                o["intervention"] = intervention_from_programme(programme=programme).slug
            except EvaluationError as exc:
                raise CommandError(f"{exc.field}: {exc.reason}") from exc
        if o["list"] or not o["intervention"]:
            for item in Intervention.objects.all():
                self.stdout.write(f"{item.slug}\t{item.name}\t{item.places.count()} places")
            return
        name = o["intervention"]
        item = (Intervention.objects.filter(slug=name).first()
                or Intervention.objects.filter(name=name).first())
        if item is None:
            raise CommandError(f"no intervention {name!r} (see --list)")
        try:
            result = evaluate(intervention=item, outcome=o["outcome"], pool=o["pool"],
                              period_from=o["period_from"], period_to=o["period_to"],
                              seed=o["seed"])
        except EvaluationError as exc:
            raise CommandError(f"{exc.field}: {exc.reason}") from exc
        if o["json"]:
            self.stdout.write(json.dumps({k: result[k] for k in KEYS}))
        else:
            self.stdout.write(result["reading"])
            for k in (*KEYS, "cluster_by", "n_clusters", "run"):
                self.stdout.write(f"  {k}: {result.get(k)}")
