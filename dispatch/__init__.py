"""The dispatch optimiser: technicians and visits in, routes and reasons out."""

from dispatch.engine import solve
from dispatch.plan import Plan, Route, Stats, Stop, Unassigned
from dispatch.problem import (
    FREE,
    STABLE,
    Booking,
    Pin,
    Problem,
    Technician,
    TimeWindow,
    Visit,
    Weights,
)
from dispatch.reasons import Code, Reason
from dispatch.travel import HaversineTravel, TravelMatrix, TravelModel, eta

__all__ = [
    "FREE",
    "STABLE",
    "Booking",
    "Code",
    "HaversineTravel",
    "Pin",
    "Plan",
    "Problem",
    "Reason",
    "Route",
    "Stats",
    "Stop",
    "Technician",
    "TimeWindow",
    "TravelMatrix",
    "TravelModel",
    "Unassigned",
    "Visit",
    "Weights",
    "eta",
    "solve",
]
