"""People who sign in, and the role that decides what they may do."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, sql_in, utcnow


class Role(StrEnum):
    ADMIN = "admin"
    DISPATCHER = "dispatcher"
    AGENT = "agent"
    TECHNICIAN = "technician"
    MANAGER = "manager"  # reads the numbers (insights, audit); changes nothing


class User(Base):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint(sql_in("role", Role), name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(default=True)
    # Signed into every calendar link; one more retires all links given out so far.
    calendar_version: Mapped[int] = mapped_column(default=0, server_default="0")
    # Signed into every bearer token (tokens from before versions read as 0); one more
    # retires all tokens issued so far, so re-activating an account revives none of them.
    token_version: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
