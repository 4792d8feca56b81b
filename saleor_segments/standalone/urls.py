"""Standalone URLs (``manage.py runserver``): the GraphQL API at /graphql/ and, as inside Saleor,
under the plugin's path: plugins/global/saleor_segments/graphql/ and the Dashboard app at
plugins/global/saleor_segments/app/ (its manifest at .../app/manifest). Standalone only: a
read-only Saleor-shaped API for the app's value pickers at
plugins/global/saleor_segments/standalone/saleor-api/ (Saleor serves the real one)."""

from django.urls import path, re_path

from ..dashboard_app.standalone_saleor import standalone_saleor_view
from ..dashboard_app.views import standalone_view
from ..graphql.views import export_download_view, graphql_view

PLUGIN = "plugins/global/saleor_segments/"

urlpatterns = [
    path("graphql/", graphql_view(), name="segments-graphql"),
    path(PLUGIN + "graphql/", graphql_view(), name="segments-plugin-graphql"),
    path(PLUGIN + "standalone/saleor-api/", standalone_saleor_view(), name="segments-saleor-api"),
    path(PLUGIN + "exports/<str:export_id>/<str:token>", export_download_view,
         name="segments-export-download"),
    re_path(r"^" + PLUGIN + r"app/?$", standalone_view, name="segments-app"),
    re_path(r"^" + PLUGIN + r"app/(?P<subpath>.*)$", standalone_view, name="segments-app-path"),
]
