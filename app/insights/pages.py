"""/insights: the manager's numbers as charts, behind the same sign-in as /board."""

from typing import Any

from flask import Blueprint, render_template
from webargs.flaskparser import parser

from app.auth.access import page_caller
from app.insights import service
from app.insights.charts import LAYOUT, charts
from app.insights.routes import READERS
from app.insights.schemas import InsightsArgsSchema

pages = Blueprint(
    "insights_page",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/insights/static",
)


@pages.get("/insights")
def shell() -> str:
    return render_template("insights/shell.html")


@pages.get("/insights/view")
def view() -> str:
    page_caller(*READERS)
    args: dict[str, Any] = parser.parse(InsightsArgsSchema(), location="query")
    args.pop("format")
    figures = service.compute_insights(**args)
    return render_template(
        "insights/view.html", figures=figures, charts=charts(figures), layout=LAYOUT
    )
