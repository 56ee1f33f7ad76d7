"""URL configuration of Cartess."""

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from directory.views import healthz

admin.site.site_header = _("Administration de Cartess")
admin.site.site_title = _("Administration de Cartess")
admin.site.index_title = _("Tableau de bord")

urlpatterns = [
    path("", include("directory.urls")),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
