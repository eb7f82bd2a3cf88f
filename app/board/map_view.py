"""The day's routes as SVG coordinates: each technician from home through their stops."""

from typing import Any

WIDTH, HEIGHT, MARGIN = 600, 400, 20
COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2")


def route_map(rows: list[dict[str, Any]], unassigned: list[dict[str, Any]]) -> dict[str, Any]:
    """Routes and waiting visits projected into a WIDTH x HEIGHT box (plain lat/lon scaling:
    a day's area is small enough for it)."""
    routes = []
    for row in rows:
        technician = row["technician"]
        points = [(technician.home_latitude, technician.home_longitude)]
        points += [_where(stop["visit"]) for stop in row["stops"] if _where(stop["visit"])]
        routes.append({"name": technician.name, "points": points})
    waiting = [point for item in unassigned if (point := _where(item["visit"]))]
    everything = [p for route in routes for p in route["points"]] + waiting
    if not everything:
        return {"width": WIDTH, "height": HEIGHT, "routes": [], "waiting": []}
    project = _projection(everything)
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "routes": [
            {
                "name": route["name"],
                "colour": COLOURS[index % len(COLOURS)],
                "points": [project(point) for point in route["points"]],
            }
            for index, route in enumerate(routes)
        ],
        "waiting": [project(point) for point in waiting],
    }


def _where(visit: Any) -> tuple[float, float] | None:
    site = visit.case.site
    return (site.latitude, site.longitude) if site else None


def _projection(points: list[tuple[float, float]]) -> Any:
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    south, north, west, east = min(lats), max(lats), min(lons), max(lons)
    span = max(north - south, east - west, 1e-6)

    def project(point: tuple[float, float]) -> tuple[float, float]:
        x = MARGIN + (point[1] - west) / span * (WIDTH - 2 * MARGIN)
        y = HEIGHT - MARGIN - (point[0] - south) / span * (HEIGHT - 2 * MARGIN)
        return round(x, 1), round(y, 1)

    return project
