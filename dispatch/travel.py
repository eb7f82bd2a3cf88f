"""Travel times between locations: a protocol, a precomputed matrix and a straight-line model.

A road-network provider (OSRM, Valhalla, a commercial API) plugs in by implementing
:class:`TravelModel`; its one method takes a batch of locations because that is what table APIs
answer cheaply.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeAlias

Location: TypeAlias = Hashable
"""Whatever the travel model understands: ``(lat, lon)`` for :class:`HaversineTravel`, a row
index for :class:`TravelMatrix`."""

EARTH_RADIUS_M = 6_371_008.8


class TravelModel(Protocol):
    """Anything that can answer "how many seconds from each of these places to each other"."""

    def matrix(self, locations: Sequence[Location]) -> Sequence[Sequence[float]]:
        """
        Travel seconds between every ordered pair of ``locations``.

        Parameters
        ----------
        locations
            Places to connect; row ``i``, column ``j`` is the time from ``i`` to ``j``.

        Returns
        -------
        Sequence[Sequence[float]]
            A square matrix of non-negative seconds.
        """
        ...


def eta(model: TravelModel, origin: Location, destination: Location) -> float:
    """
    Seconds to travel from ``origin`` to ``destination``, e.g. for a technician en route.

    Parameters
    ----------
    model
        The travel model of the plan.
    origin, destination
        Two locations the model understands.

    Returns
    -------
    float
        Travel time in seconds.
    """
    return model.matrix([origin, destination])[0][1]


@dataclass(frozen=True, slots=True)
class TravelMatrix:
    """
    Precomputed travel seconds; locations are row indices.

    Parameters
    ----------
    seconds
        A square matrix of non-negative, finite seconds.
    """

    seconds: tuple[tuple[float, ...], ...]

    def __post_init__(self) -> None:
        rows = tuple(tuple(float(x) for x in row) for row in self.seconds)
        if any(len(row) != len(rows) for row in rows):
            raise ValueError("travel matrix is not square")
        if any(not (0 <= x < math.inf) for row in rows for x in row):
            raise ValueError("travel times must be finite and non-negative")
        object.__setattr__(self, "seconds", rows)

    def matrix(self, locations: Sequence[Location]) -> list[list[float]]:
        """See :meth:`TravelModel.matrix`; locations are indices into ``seconds``."""
        size = len(self.seconds)
        if any(not isinstance(i, int) or not 0 <= i < size for i in locations):
            raise ValueError("location is not a row of the travel matrix")
        return [[self.seconds[i][j] for j in locations] for i in locations]


@dataclass(frozen=True, slots=True)
class HaversineTravel:
    """
    Great-circle distance times a road factor, driven at an average speed.

    Good enough to plan a day when no road network is plugged in: the road factor stands for
    streets not being straight, the speed for traffic.

    Parameters
    ----------
    speed_kmh
        Average door-to-door speed.
    road_factor
        Road distance divided by straight-line distance.
    """

    speed_kmh: float = 40.0
    road_factor: float = 1.3

    def __post_init__(self) -> None:
        if self.speed_kmh <= 0:
            raise ValueError("speed must be positive")
        if self.road_factor < 1:
            raise ValueError("road factor must be at least 1")

    def matrix(self, locations: Sequence[Location]) -> list[list[float]]:
        """See :meth:`TravelModel.matrix`; locations are ``(lat, lon)`` in degrees."""
        points = [_radians(loc) for loc in locations]
        metres_per_second = self.speed_kmh / 3.6
        return [
            [self.road_factor * _haversine_m(a, b) / metres_per_second for b in points]
            for a in points
        ]


def _radians(location: Location) -> tuple[float, float]:
    lat, lon = location  # type: ignore[misc]
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError("latitude or longitude out of range")
    return math.radians(lat), math.radians(lon)


def _haversine_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    h = (
        math.sin((b[0] - a[0]) / 2) ** 2
        + math.cos(a[0]) * math.cos(b[0]) * math.sin((b[1] - a[1]) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


@dataclass(frozen=True, slots=True)
class TravelTable:
    """Travel seconds between the distinct locations of one problem, asked of the model once."""

    index: dict[Location, int]
    seconds: Sequence[Sequence[float]]

    @classmethod
    def of(cls, model: TravelModel, locations: Sequence[Location]) -> TravelTable:
        """Ask ``model`` for the matrix over the distinct ``locations``."""
        distinct = list(dict.fromkeys(locations))
        seconds = model.matrix(distinct)
        if len(seconds) != len(distinct) or any(len(row) != len(distinct) for row in seconds):
            raise ValueError("travel model returned a matrix of the wrong size")
        return cls({loc: i for i, loc in enumerate(distinct)}, seconds)

    def between(self, origin: Location, destination: Location) -> float:
        """Seconds from ``origin`` to ``destination``; both must be among the table's locations."""
        return self.seconds[self.index[origin]][self.index[destination]]
