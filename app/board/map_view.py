"""The day's routes on a map: each technician from home through their stops, in SVG.

Web Mercator pixels at the largest zoom that fits the day, so a tile layer (when
FIRSTFIX_MAP_TILES_URL is set, e.g. "https://tile.example/{z}/{x}/{y}.png") lines up.
"""

import math
from typing import Any

WIDTH, HEIGHT, MARGIN, TILE, MAX_ZOOM = 600, 400, 24, 256, 17
COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2")
Point = tuple[float, float]


def route_map(
    rows: list[dict[str, Any]], unassigned: list[dict[str, Any]], *, tiles_url: str | None
) -> dict[str, Any]:
    routes = []
    for row in rows:
        technician = row["technician"]
        points = [(technician.home_latitude, technician.home_longitude)]
        points += [where for stop in row["stops"] if (where := _where(stop["visit"]))]
        routes.append({"name": technician.name, "points": points})
    waiting = [point for item in unassigned if (point := _where(item["visit"]))]
    everything = [p for route in routes for p in route["points"]] + waiting
    view = {"width": WIDTH, "height": HEIGHT, "routes": [], "waiting": [], "tiles": []}
    if not everything:
        return view
    zoom = _zoom(everything)
    origin = _origin(everything, zoom)

    def place(point: Point) -> Point:
        x, y = _pixels(point, zoom)
        return round(x - origin[0], 1), round(y - origin[1], 1)

    view["routes"] = [
        {
            "name": route["name"],
            "colour": COLOURS[index % len(COLOURS)],
            "points": [place(point) for point in route["points"]],
        }
        for index, route in enumerate(routes)
    ]
    view["waiting"] = [place(point) for point in waiting]
    view["tiles"] = _tiles(tiles_url, zoom, origin) if tiles_url else []
    return view


def _where(visit: Any) -> Point | None:
    site = visit.case.site
    return (site.latitude, site.longitude) if site else None


def _pixels(point: Point, zoom: int) -> Point:
    latitude, longitude = point
    scale = TILE * 2**zoom
    sine = math.sin(math.radians(latitude))
    x = (longitude + 180) / 360 * scale
    y = (0.5 - math.log((1 + sine) / (1 - sine)) / (4 * math.pi)) * scale
    return x, y


def _zoom(points: list[Point]) -> int:
    for zoom in range(MAX_ZOOM, 0, -1):
        xs, ys = zip(*(_pixels(point, zoom) for point in points), strict=True)
        if max(xs) - min(xs) <= WIDTH - 2 * MARGIN and max(ys) - min(ys) <= HEIGHT - 2 * MARGIN:
            return zoom
    return 0


def _origin(points: list[Point], zoom: int) -> Point:
    """The top-left pixel that centres the points in the box."""
    xs, ys = zip(*(_pixels(point, zoom) for point in points), strict=True)
    return (max(xs) + min(xs) - WIDTH) / 2, (max(ys) + min(ys) - HEIGHT) / 2


def _tiles(url: str, zoom: int, origin: Point) -> list[dict[str, Any]]:
    first_x, first_y = int(origin[0] // TILE), int(origin[1] // TILE)
    last_x, last_y = int((origin[0] + WIDTH) // TILE), int((origin[1] + HEIGHT) // TILE)
    return [
        {
            "href": url.format(z=zoom, x=x, y=y),
            "x": round(x * TILE - origin[0], 1),
            "y": round(y * TILE - origin[1], 1),
        }
        for x in range(first_x, last_x + 1)
        for y in range(first_y, last_y + 1)
    ]
