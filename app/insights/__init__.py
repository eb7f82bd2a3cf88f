"""The manager's numbers: first-time fix, refused and overridden guards, attempts, outcomes."""
