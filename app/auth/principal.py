"""Who is calling: the identity every service receives instead of reading the request."""

from dataclasses import dataclass

from app.auth.models import Role


@dataclass(frozen=True, slots=True)
class Principal:
    user_id: int
    email: str
    role: Role

    def is_one_of(self, *roles: Role) -> bool:
        """Admins may do anything a named role may."""
        return self.role is Role.ADMIN or self.role in roles
