"""Who is calling: the identity every service receives instead of reading the request."""

from dataclasses import dataclass

from app.auth.models import Role
from app.errors import Forbidden, NotFound


@dataclass(frozen=True, slots=True)
class Principal:
    user_id: int
    email: str
    role: Role

    def is_one_of(self, *roles: Role) -> bool:
        """Admins may do anything a named role may."""
        return self.role is Role.ADMIN or self.role in roles

    def require(self, *roles: Role) -> None:
        """Refuse callers outside these roles; technicians get 404, as for anything not theirs.

        A technician's phone only knows its own visits: office objects don't exist for it.
        """
        if self.is_one_of(*roles):
            return
        if self.role is Role.TECHNICIAN:
            raise NotFound("Nothing exists at this address.")
        allowed = ", ".join(role.value for role in roles)
        raise Forbidden(f"This needs one of the roles: {allowed}; you are {self.role}.")
