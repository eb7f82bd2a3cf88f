"""The dispatcher's board: a day's visits, each technician's schedule, and the /board page."""
