"""Writing instruments: the standard module, and a version from an imported XLSForm."""

from django.db import transaction

from polmas.surveys import standard
from polmas.surveys.xlsform import Instrument


def _store(survey_model, version_model, item_model, *, slug: str, name: str, inst: Instrument):
    survey, _created = survey_model.objects.get_or_create(slug=slug, defaults={"name": name})
    last = version_model.objects.filter(survey=survey).order_by("-number").first()
    version = version_model.objects.create(survey=survey, number=(last.number + 1) if last else 1,
                                           form_id=inst.form_id, title_id=inst.title_id,
                                           title_en=inst.title_en)
    item_model.objects.bulk_create([item_model(version=version, position=n, **it)
                                    for n, it in enumerate(inst.items, start=1)])
    return version


def standard_instrument() -> Instrument:
    items = []
    for it in standard.ITEMS:
        row = {"list_name": "", "choices": [], "required": False, "relevant": "", "constraint": "",
               "indicator": "", "positive": ""} | it
        items.append(row)
    return Instrument(standard.FORM_ID, standard.TITLE_ID, standard.TITLE_EN, items)


def standard_ensure(apps=None):
    """Create version 1 of the standard module unless it exists (idempotent). `apps` is the
    migration's app registry when called from one."""
    if apps is None:
        from polmas.surveys.models import Item, Survey, Version
    else:
        Survey, Version, Item = (apps.get_model("surveys", m) for m in ("Survey", "Version", "Item"))
    existing = Version.objects.filter(survey__slug=standard.SLUG).order_by("number").first()
    if existing:
        return existing
    with transaction.atomic():
        return _store(Survey, Version, Item, slug=standard.SLUG, name=standard.NAME,
                      inst=standard_instrument())


def instrument_import(*, slug: str, name: str, inst: Instrument):
    """Store an imported instrument as the next version of survey `slug`."""
    from polmas.surveys.models import Item, Survey, Version

    with transaction.atomic():
        return _store(Survey, Version, Item, slug=slug, name=name, inst=inst)


def latest_version(slug: str):
    from polmas.surveys.models import Version

    return Version.objects.filter(survey__slug=slug).order_by("-number").first()
