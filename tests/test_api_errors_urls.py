"""The project's URLs plus two views that fail outside DRF, for tests/test_api_errors.py."""

from django.urls import path

from config.urls import handler400, handler403, handler404, handler500, urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def broken(request):
    raise RuntimeError("une panne hors de DRF")


urlpatterns = [path("api/v1/panne/", broken), path("panne/", broken), *urlpatterns]
