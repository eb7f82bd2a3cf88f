"""Swagger UI's files for /api/v1/docs, served by FirstFix from the pinned swagger-ui-bundle-v2
package (Apache-2.0, its licence ships in the package), so the docs work without internet."""

from flask import Blueprint
from swagger_ui_bundle import swagger_ui_path

ASSETS_URL = "/docs-assets/swagger-ui"  # app/config.py's OPENAPI_SWAGGER_UI_URL, without the /

docs_assets = Blueprint(
    "docs_assets", __name__, static_folder=swagger_ui_path, static_url_path=ASSETS_URL
)
