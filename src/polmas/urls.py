from django.contrib import admin
from django.urls import include, path

from polmas.analytics.survey_map import survey_map
from polmas.api import api
from polmas.core.views import healthz, metrics_view, ping, readyz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("metrics", metrics_view, name="metrics"),
    path("ping", ping, name="ping"),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("open311/", include("polmas.reports.open311.urls")),
    path("hooks/", include("polmas.reports.channels.urls")),
    path("lapor/", include("polmas.portal.urls")),
    path("kasus/", include("polmas.cases.urls")),
    path("peringatan/", include("polmas.earlywarning.urls")),
    path("kegiatan/", include("polmas.activities.urls")),
    path("mitra/", include("polmas.partners.urls")),
    path("forum/", include("polmas.forums.urls")),
    path("dashboard/", include("polmas.analytics.urls")),
    path("evaluasi/", include("polmas.evaluation.urls")),
    path("statistik/survei/peta/", survey_map, name="survey_map"),
    path("statistik/survei/", include("polmas.surveys.statistik_urls")),
    path("statistik/", include("polmas.portal.statistik_urls")),
    path("survei/rencana/", include("polmas.surveys.plan_urls")),
    path("survei/", include("polmas.surveys.urls")),
    path("privasi/", include("polmas.privacy.urls")),
    path("petugas/", include("polmas.policing.urls")),
    path("rencana/", include("polmas.planning.urls")),
    path("", include("polmas.field.urls")),
    path("admin/", admin.site.urls),
    path("", include("polmas.web.urls")),
]
