"""Demo sign-in accounts, one per role."""

from app.auth.models import Role
from app.auth.principal import Principal
from app.auth.service import create_user

DISPATCHER_EMAIL = "dispatcher@firstfix.example"
DISPATCHER_PASSWORD = "dispatch-demo-1"

ACCOUNTS = [
    ("admin@firstfix.example", Role.ADMIN, "admin-demo-1"),
    (DISPATCHER_EMAIL, Role.DISPATCHER, DISPATCHER_PASSWORD),
    ("agent@firstfix.example", Role.AGENT, "agent-demo-1"),
]


def load_users() -> Principal:
    """Create the accounts; the agent is returned to record the demo interactions."""
    users = [create_user(email, role=role, password=password) for email, role, password in ACCOUNTS]
    agent = next(user for user in users if user.role == Role.AGENT)
    return Principal(user_id=agent.id, email=agent.email, role=Role.AGENT)
