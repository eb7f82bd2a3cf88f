"""/board: the dispatcher's page. The shell signs in with POST /api/v1/auth/token; its few lines
of JavaScript fetch /board/view, server-rendered HTML, with the bearer token."""

from datetime import date

from flask import Blueprint, current_app, render_template, request

from app.auth.access import page_caller
from app.auth.models import Role
from app.board.view import board_for, local, minutes
from app.errors import RuleViolation

pages = Blueprint(
    "board_page",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/board/static",
)
pages.add_app_template_filter(local, "board_local")
pages.add_app_template_filter(minutes, "board_minutes")


@pages.get("/board")
def shell() -> str:
    return render_template("board/shell.html")


@pages.get("/board/view")
def view() -> str:
    viewer = page_caller(Role.DISPATCHER)
    day = _day(request.args.get("date", ""))
    board = board_for(
        day,
        territory=request.args.get("territory") or None,
        viewer=viewer,
        tiles_url=current_app.config["MAP_TILES_URL"],
    )
    return render_template("board/view.html", board=board)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise RuleViolation("Pick a day.", errors={"date": ["Give a date: YYYY-MM-DD."]}) from error
