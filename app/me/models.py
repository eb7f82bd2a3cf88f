"""The per-technician change feed the phone syncs from: a counter and numbered changes."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, utcnow


class ChangeCounter(Base):
    """The last sequence number handed out for one technician's feed.

    Writers bump it with an UPDATE, which row-locks it until their commit: two transactions
    touching the same technician number their changes in the order they commit, so a reader
    that has seen number n can never later find a smaller one appear.
    """

    __tablename__ = "technician_change_counters"

    technician_id: Mapped[int] = mapped_column(
        ForeignKey("technicians.id", ondelete="CASCADE"), primary_key=True
    )
    last_seq: Mapped[int]


class Change(Base):
    """Visit `visit_id` changed for this technician; the reader fetches its current state.

    No foreign key on the visit: a change must outlive what it describes (a tombstone).
    """

    __tablename__ = "technician_changes"
    __table_args__ = (UniqueConstraint("technician_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    technician_id: Mapped[int] = mapped_column(ForeignKey("technicians.id", ondelete="CASCADE"))
    seq: Mapped[int]
    visit_id: Mapped[int]
    kind: Mapped[str] = mapped_column(String(20))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
