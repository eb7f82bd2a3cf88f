"""The dispatch optimiser: technicians and visits in, routes and reasons out."""

from dispatch.engine import solve
from dispatch.plan import Plan, Route, Stats, Stop, Unassigned
from dispatch.problem import Pin, Problem, Technician, TimeWindow, Visit
from dispatch.reasons import Code, Reason
from dispatch.travel import HaversineTravel, TravelMatrix, TravelModel, eta

__all__ = [
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
    "eta",
    "solve",
]
