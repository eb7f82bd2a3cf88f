"""Uploads never completed are swept: their originals still carry the customer's location."""

from datetime import timedelta

from app.extensions import db
from app.photos.models import Photo
from app.photos.storage import photo_storage
from tests.app.photos.phone import photo_bytes


def test_an_abandoned_upload_is_deleted_and_marked_rejected(
    app, create_case, start_photo, put_bytes
):
    case = create_case()
    data = photo_bytes()
    abandoned = start_photo(case.number, data).json
    put_bytes(abandoned["upload"], data)
    recent = start_photo(case.number, data).json
    photo = db.session.get(Photo, abandoned["id"])
    photo.created_at -= timedelta(hours=25)
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["photos", "sweep", "--hours", "24"])

    assert "Swept 1" in result.output, result.output
    db.session.expire_all()
    swept = db.session.get(Photo, abandoned["id"])
    assert (swept.status, swept.reason) == ("rejected", "abandoned")
    assert photo_storage().size(swept.upload_key) is None
    assert db.session.get(Photo, recent["id"]).status == "pending"
