"""Photos on a case: the record of an upload, and where its safe renditions live."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.db import Base, UTCDateTime, sql_in, utcnow


class PhotoStatus(StrEnum):
    PENDING = "pending"
    READY = "ready"
    REJECTED = "rejected"


class PhotoSource(StrEnum):
    """Who took it; office staff of any role count as ``agent``."""

    TECHNICIAN = "technician"
    CUSTOMER = "customer"
    AGENT = "agent"


class Photo(Base):
    """One upload. The original (GPS and all) lives under ``upload_key`` only until completion.

    A photo whose bytes are already on the case is ``duplicate_of`` that one and shares its
    renditions, so the same picture is stored once however many times it is sent.
    """

    __tablename__ = "photos"
    __table_args__ = (
        CheckConstraint(sql_in("status", PhotoStatus), name="status"),
        CheckConstraint(sql_in("source", PhotoSource), name="source"),
        CheckConstraint("declared_bytes > 0", name="declared_bytes"),
        CheckConstraint(
            "status <> 'ready' OR (sha256 IS NOT NULL AND display_key IS NOT NULL "
            "AND thumbnail_key IS NOT NULL AND width > 0 AND height > 0)",
            name="ready_has_renditions",
        ),
        CheckConstraint("status <> 'rejected' OR reason IS NOT NULL", name="rejected_has_reason"),
        Index("ix_photos_case_created", "case_id", "created_at"),
        Index(
            "uq_photos_case_sha256",
            "case_id",
            "sha256",
            unique=True,
            sqlite_where=text("duplicate_of_id IS NULL AND sha256 IS NOT NULL"),
            postgresql_where=text("duplicate_of_id IS NULL AND sha256 IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visits.id", ondelete="SET NULL"))
    source: Mapped[str] = mapped_column(String(20))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The address or number a photo arrived from by e-mail or MMS.
    sender: Mapped[str | None] = mapped_column(String(320))
    filename: Mapped[str] = mapped_column(String(255))
    caption: Mapped[str | None] = mapped_column(String(500))
    declared_type: Mapped[str] = mapped_column(String(50))
    declared_bytes: Mapped[int]
    upload_key: Mapped[str] = mapped_column(String(200), unique=True)
    status: Mapped[str] = mapped_column(String(10), default=PhotoStatus.PENDING)
    reason: Mapped[str | None] = mapped_column(String(30))
    reason_detail: Mapped[str | None] = mapped_column(Text)
    sha256: Mapped[str | None] = mapped_column(String(64))
    detected_type: Mapped[str | None] = mapped_column(String(50))
    display_key: Mapped[str | None] = mapped_column(String(200))
    thumbnail_key: Mapped[str | None] = mapped_column(String(200))
    width: Mapped[int | None]
    height: Mapped[int | None]
    taken_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("photos.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    uploaded_by: Mapped[User | None] = relationship()
