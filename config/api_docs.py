"""`/api/docs/`: the OpenAPI schema (`/api/schema/`) in Swagger UI, served by Cartess.

Swagger UI's files come from drf-spectacular-sidecar (`SWAGGER_UI_DIST = "SIDECAR"`), not a
CDN; the split view serves its start-up script as a file (`?script`), so the page runs
under the site's Content-Security-Policy without an inline script or style.
"""

from drf_spectacular.views import SpectacularSwaggerSplitView


class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI for `/api/schema/`, with the page's styles in a static file."""

    template_name = "api/docs.html"
    url_name = "api-schema"
    title = "API Cartess"
