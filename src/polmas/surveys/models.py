"""Survey instruments (a survey, its versions, their items), samples, resident links and
responses. A response stores its village's code and the answers, never a name or a contact."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Survey(models.Model):
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def __str__(self) -> str:
        return self.slug


class Version(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    form_id = models.CharField(_("form id"), max_length=100)
    title_id = models.CharField(_("title (Indonesian)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("survey version")
        verbose_name_plural = _("survey versions")
        constraints = [models.UniqueConstraint(fields=["survey", "number"], name="survey_version_once")]

    def __str__(self) -> str:
        return f"{self.survey.slug} v{self.number}"


class Item(models.Model):
    """One question. `choices` is the answer scale: [{"value", "label_id", "label_en"}];
    `relevant` is its skip logic in XLSForm syntax; `source` what it is worded after."""

    class Kind(models.TextChoices):
        SELECT_ONE = "select_one", _("one of a list")
        INTEGER = "integer", _("whole number")
        TEXT = "text", _("text")
        NOTE = "note", _("note")

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=64)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    list_name = models.CharField(_("choice list"), max_length=64, blank=True)
    label_id = models.TextField(_("question (Indonesian)"))
    label_en = models.TextField(_("question (English)"), blank=True)
    choices = models.JSONField(_("answer scale"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=False)
    relevant = models.CharField(_("asked when"), max_length=500, blank=True)
    constraint = models.CharField(_("constraint"), max_length=500, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    indicator = models.CharField(_("indicator"), max_length=40, blank=True)
    positive = models.CharField(_("values counted as yes"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("survey item")
        verbose_name_plural = _("survey items")
        ordering = ["version", "position"]
        constraints = [models.UniqueConstraint(fields=["version", "name"], name="survey_item_name_once")]

    def __str__(self) -> str:
        return self.name


class Sample(models.Model):
    """A two-stage sample for one wave: villages PPS within each regency, households within."""

    version = models.ForeignKey(Version, on_delete=models.PROTECT, related_name="samples")
    wave = models.CharField(_("wave"), max_length=40)
    year = models.PositiveIntegerField(_("year"))
    seed = models.BigIntegerField(_("seed"))
    provinces = models.CharField(_("provinces"), max_length=300, blank=True)
    margin = models.FloatField(_("margin (points)"))
    deff = models.FloatField(_("design effect"))
    response_rate = models.FloatField(_("expected response rate"))
    households_per_village = models.PositiveIntegerField(_("households per village"))
    method = models.JSONField(_("method"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("survey sample")
        verbose_name_plural = _("survey samples")
        constraints = [models.UniqueConstraint(fields=["version", "wave"], name="survey_wave_once")]

    def __str__(self) -> str:
        return f"{self.version} {self.wave}"


class SampleVillage(models.Model):
    sample = models.ForeignKey(Sample, on_delete=models.CASCADE, related_name="villages")
    village_code = models.CharField(_("village"), max_length=13, db_index=True)
    regency_code = models.CharField(_("regency (stratum)"), max_length=5, db_index=True)
    size = models.FloatField(_("measure of size"))
    households = models.PositiveIntegerField(_("households (estimated)"))
    village_prob = models.FloatField(_("village selection probability"))
    planned = models.PositiveIntegerField(_("households to interview"))
    enumerator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+", verbose_name=_("enumerator"))

    class Meta:
        verbose_name = _("sampled village")
        verbose_name_plural = _("sampled villages")
        constraints = [models.UniqueConstraint(fields=["sample", "village_code"],
                                               name="survey_village_once")]

    def __str__(self) -> str:
        return self.village_code

    @property
    def weight(self) -> float:
        """Design weight of one household interviewed here: 1 / (P(village) * P(household))."""
        return self.households / (self.village_prob * self.planned)


class ResidentLink(models.Model):
    """A one-time link for a resident of a sampled village; only its hash is stored."""

    sample_village = models.ForeignKey(SampleVillage, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    used_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("resident link")
        verbose_name_plural = _("resident links")

    def __str__(self) -> str:
        return f"link {self.pk}"


class Response(models.Model):
    """One completed questionnaire. No name, phone or address: the village code, the channel,
    the consent and the answers ({item name: value})."""

    class Channel(models.TextChoices):
        WEB = "web", _("resident web link")
        INTERVIEW = "interview", _("enumerator interview")
        SIMULATED = "simulated", _("simulated")

    sample_village = models.ForeignKey(SampleVillage, on_delete=models.PROTECT, related_name="responses")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    link = models.OneToOneField(ResidentLink, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="response")
    client_uuid = models.UUIDField(null=True, blank=True, unique=True)
    enumerator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+")
    consent = models.BooleanField(_("consent given"))
    answers = models.JSONField(_("answers"), default=dict)
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [models.CheckConstraint(condition=Q(consent=True), name="survey_response_consented")]

    def __str__(self) -> str:
        return f"response {self.pk}"


class Estimate(models.Model):
    """A stored estimate of one indicator for one region (level 0 country, 1 province, 2
    regency) in one wave; `value` is null when fewer than the minimum answered."""

    sample = models.ForeignKey(Sample, on_delete=models.CASCADE, related_name="estimates")
    indicator = models.CharField(_("indicator"), max_length=40)
    level = models.PositiveSmallIntegerField(_("level"))
    code = models.CharField(_("region"), max_length=13, blank=True)
    n = models.PositiveIntegerField(_("answers"))
    value = models.FloatField(_("estimate"), null=True, blank=True)
    se = models.FloatField(_("standard error"), null=True, blank=True)
    low = models.FloatField(_("lower bound of the interval (95%)"), null=True, blank=True)
    high = models.FloatField(_("upper bound of the interval (95%)"), null=True, blank=True)
    df = models.PositiveIntegerField(_("degrees of freedom"), null=True, blank=True)
    computed_at = models.DateTimeField(_("computed"), auto_now=True)

    class Meta:
        verbose_name = _("survey estimate")
        verbose_name_plural = _("survey estimates")
        constraints = [models.UniqueConstraint(fields=["sample", "indicator", "code"],
                                               name="survey_estimate_once")]

    def __str__(self) -> str:
        return f"{self.indicator} {self.code or 'ID'}"

