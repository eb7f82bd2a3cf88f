"""Other solvers run on the bench's instances, each with one thread (optional ``bench`` extra).

Each module has ``routes(instance, time_limit, seed) -> RouteList``; the bench scores what they
return with :mod:`bench.verify`, the same as FirstFix's plans.
"""

SCALE = 1000
"""Both rivals take integer times: distances times this, travel times rounded up so a route they
find feasible stays feasible with the unrounded distances the bench scores."""
