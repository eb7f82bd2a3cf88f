"""What a customer agreed to through the portal: which appointment, under which terms."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, utcnow


class PortalConfirmation(Base):
    """The customer confirmed this window of a visit and accepted this terms version.

    The window is copied because a later reschedule makes an earlier confirmation stale: the
    visit counts as confirmed only while its window still equals the confirmed one.
    """

    __tablename__ = "portal_confirmations"
    __table_args__ = (Index("ix_portal_confirmations_visit_confirmed", "visit_id", "confirmed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"))
    terms_version: Mapped[str] = mapped_column(String(40))
    window_start: Mapped[datetime] = mapped_column(UTCDateTime)
    window_end: Mapped[datetime] = mapped_column(UTCDateTime)
    confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
