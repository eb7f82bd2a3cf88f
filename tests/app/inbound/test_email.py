"""POST /inbound/email: a raw message lands on its case with its photos, once, or waits."""

import base64

import pytest
from sqlalchemy import func, select, update

from app.extensions import db
from app.notifications.models import DeliveryChannel, Event
from app.notifications.outbox import notify_case_event
from app.photos.models import Photo
from app.photos.storage import photo_storage
from tests.app.inbound.conftest import SECRET, mime
from tests.app.photos.phone import has_gps, photo_bytes


def test_a_customer_mail_with_two_gps_photos_lands_on_the_case_without_their_location(
    create_case, post_email, two_photos, client, agent_headers
):
    case = create_case()
    sender = case.customer.emails[0]
    answer = post_email(
        mime(sender=sender, subject=f"Re: your case {case.number}", images=two_photos)
    )
    assert answer.status_code == 201, answer.json
    assert answer.json["case_number"] == case.number
    assert answer.json["interaction"]["channel"] == "email"
    assert answer.json["interaction"]["body"] == "Here are the photos."
    photos = answer.json["photos"]
    assert [p["status"] for p in photos] == ["ready", "ready"]
    assert {p["source"] for p in photos} == {"customer"}
    assert {p["sender"] for p in photos} == {sender}
    storage = photo_storage()
    for photo in db.session.scalars(select(Photo)):
        assert not has_gps(storage.read(photo.display_key))
    timeline = client.get(f"/api/v1/cases/{case.number}/timeline", headers=agent_headers).json
    kinds = [(entry["kind"], entry["who"]) for entry in timeline]
    assert ("interaction", sender) in kinds
    assert kinds.count(("photo", sender)) == 2


@pytest.mark.parametrize("typed", ["{number}", "{lower}", "{compact}", "{compact_lower}"], ids=str)
def test_the_case_number_is_found_in_any_letter_case_with_or_without_dashes(
    create_case, post_email, typed
):
    case = create_case()
    number = case.number
    text = typed.format(
        number=number,
        lower=number.lower(),
        compact=number.replace("-", ""),
        compact_lower=number.replace("-", "").lower(),
    )
    answer = post_email(mime(sender="stranger@example.org", subject="Hello", text=f"About {text}."))
    assert answer.status_code == 201, answer.json
    assert answer.json["case_number"] == number


def test_a_reply_to_a_message_firstfix_sent_is_threaded_by_in_reply_to(
    create_case, create_customer, post_email
):
    case = create_case()
    (sent,) = [
        n
        for n in notify_case_event(case, event=Event.CASE_OPENED)
        if n.channel == DeliveryChannel.EMAIL
    ]
    db.session.commit()
    # The reply comes from an address the customer never gave, and names no case.
    answer = post_email(
        mime(
            sender="partner@elsewhere.example",
            subject="Re: Your case",
            text="We will be home.\n\nOn Mon, FirstFix wrote:\n> Your case is open",
            in_reply_to=f"<{sent.delivery_id}@firstfix.example>",
        )
    )
    assert answer.status_code == 201, answer.json
    assert answer.json["case_number"] == case.number
    assert answer.json["interaction"]["body"] == "We will be home."


def test_the_sender_s_single_open_case_is_used_and_none_opens_one(
    create_case, create_customer, post_email
):
    case = create_case()
    answer = post_email(mime(sender=case.customer.emails[0].upper(), subject="Hello"))
    assert answer.json["case_number"] == case.number
    newcomer = create_customer()
    opened = post_email(mime(sender=newcomer.emails[0], subject="Dishwasher leaks"))
    assert opened.status_code == 201
    assert opened.json["case_number"] not in (None, case.number)


def test_a_customer_with_several_open_cases_gets_409_with_the_candidates(
    create_case, create_customer, post_email
):
    customer = create_customer()
    first, second = create_case(customer), create_case(customer)
    answer = post_email(mime(sender=customer.emails[0], subject="Hello"))
    assert answer.status_code == 409
    assert {c["number"] for c in answer.json["candidates"]} == {first.number, second.number}


def test_a_technician_s_mail_lands_on_the_case_of_their_visit_that_day(
    create_technician, create_visit, post_email, monkeypatch
):
    from datetime import timedelta

    from app.visits.models import Visit

    technician = create_technician()
    visit = create_visit()
    start = visit.window_start + timedelta(hours=1)
    db.session.execute(
        update(Visit)
        .where(Visit.id == visit.id)
        .values(
            technician_id=technician.id,
            start_at=start,
            end_at=start + timedelta(hours=1),
            status="scheduled",
        )
    )
    db.session.commit()
    monkeypatch.setattr("app.inbound.matching.utcnow", lambda: start)
    answer = post_email(
        mime(sender=technician.email, subject="Old part", images=[("part.jpg", photo_bytes())])
    )
    assert answer.status_code == 201, answer.json
    assert answer.json["case_number"] == visit.case.number
    assert answer.json["photos"][0]["source"] == "technician"


def test_html_only_mail_becomes_text(create_case, post_email):
    case = create_case()
    message = mime(sender=case.customer.emails[0], subject="Hi")
    message.set_content("<p>The <b>door</b> is open</p>", subtype="html")
    answer = post_email(message)
    assert answer.status_code == 201, answer.json
    assert answer.json["interaction"]["body"] == "The door is open"


def test_non_images_are_listed_not_stored_and_a_fake_jpeg_is_rejected(create_case, post_email):
    case = create_case()
    answer = post_email(
        mime(
            sender=case.customer.emails[0],
            images=[("fake.jpg", b"%PDF-1.4 not a photo at all")],
            files=[("invoice.pdf", "application/pdf", b"%PDF-1.4 ...")],
        )
    )
    assert answer.status_code == 201, answer.json
    assert answer.json["not_stored"] == [
        {
            "filename": "invoice.pdf",
            "content_type": "application/pdf",
            "size_bytes": 12,
            "reason": "not an image",
        }
    ]
    (photo,) = answer.json["photos"]
    assert (photo["status"], photo["reason"]) == ("rejected", "not_an_image")


def test_the_same_message_id_twice_is_recorded_once_with_the_same_answer(
    create_case, post_email, two_photos, client, agent_headers
):
    case = create_case()
    message = mime(sender=case.customer.emails[0], images=two_photos)
    first, again = post_email(message), post_email(message)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json == again.json
    assert db.session.scalar(select(func.count()).select_from(Photo)) == 2
    timeline = client.get(f"/api/v1/cases/{case.number}/timeline", headers=agent_headers).json
    assert [e["kind"] for e in timeline].count("interaction") == 2  # opening call + the mail


def test_a_redelivery_cannot_move_a_message_to_another_case(create_case, post_email):
    first_case, other_case = create_case(), create_case()
    message = mime(sender="x@example.org", subject=first_case.number)
    assert post_email(message).json["case_number"] == first_case.number
    del message["Subject"]
    message["Subject"] = other_case.number
    again = post_email(message)
    assert (again.status_code, again.json["case_number"]) == (200, first_case.number)


def test_an_unmatched_message_answers_422_is_kept_once_and_an_agent_attaches_it(
    create_case, post_email, client, agent_headers, two_photos
):
    case = create_case()
    message = mime(sender="nobody@unknown.example", subject="Who am I", images=two_photos)
    refused = post_email(message)
    assert refused.status_code == 422
    assert refused.json["type"].endswith("inbound-unmatched")
    assert post_email(message).status_code == 422
    listed = client.get("/api/v1/inbound/unmatched", headers=agent_headers).json
    assert [(m["id"], m["sender"]) for m in listed] == [
        (refused.json["unmatched_id"], "nobody@unknown.example")
    ]
    attach = f"/api/v1/inbound/unmatched/{refused.json['unmatched_id']}/attach"
    attached = client.post(attach, json={"case_number": case.number}, headers=agent_headers)
    assert attached.status_code == 201, attached.json
    assert attached.json["status"] == "attached"
    assert len(attached.json["photos"]) == 2
    assert client.get("/api/v1/inbound/unmatched", headers=agent_headers).json == []
    again = client.post(attach, json={"case_number": case.number}, headers=agent_headers)
    assert again.status_code == 200
    other = create_case()
    moved = client.post(attach, json={"case_number": other.number}, headers=agent_headers)
    assert moved.status_code == 409
    # Delivered again after it was attached: recorded once, on the agent's case.
    assert post_email(message).json["case_number"] == case.number


def test_only_the_secret_or_an_agent_may_post(
    create_case, post_email, make_user, headers_for, agent_headers
):
    case = create_case()
    message = mime(sender=case.customer.emails[0])
    assert post_email(message, headers={"Authorization": ""}).status_code == 401
    assert post_email(message, headers={"Authorization": "Bearer wrong"}).status_code == 401
    wrong_basic = base64.b64encode(b"mailgun:wrong").decode()
    assert post_email(message, headers={"Authorization": f"Basic {wrong_basic}"}).status_code == 401
    for role in ("technician", "dispatcher"):
        assert post_email(message, headers=headers_for(make_user(role))).status_code in (403, 404)
    good_basic = base64.b64encode(f"mailgun:{SECRET}".encode()).decode()
    assert post_email(message, headers={"Authorization": f"Basic {good_basic}"}).status_code == 201
    assert (
        post_email(mime(sender=case.customer.emails[0]), headers=agent_headers).status_code == 201
    )


def test_without_a_configured_secret_no_secret_is_accepted(
    app, create_case, post_email, monkeypatch
):
    monkeypatch.setitem(app.config, "INBOUND_EMAIL_SECRET", None)
    case = create_case()
    empty = base64.b64encode(b"user:").decode()
    message = mime(sender=case.customer.emails[0])
    assert post_email(message, headers={"Authorization": f"Basic {empty}"}).status_code == 401


def test_only_message_rfc822_is_taken_and_only_here(create_case, post_email, client, agent_headers):
    case = create_case()
    message = mime(sender=case.customer.emails[0])
    assert post_email(message, content_type="text/plain").status_code == 415
    assert post_email(b'{"from": "x"}', content_type="application/json").status_code == 415
    elsewhere = client.post(
        f"/api/v1/cases/{case.number}/interactions",
        data=message.as_bytes(),
        content_type="message/rfc822",
        headers=agent_headers,
    )
    assert elsewhere.status_code == 415


def test_a_message_without_a_from_address_is_refused(post_email):
    message = mime()
    del message["From"]
    answer = post_email(message)
    assert answer.status_code == 422
    assert "From" in answer.json["errors"]


def test_a_mail_larger_than_the_json_limit_is_taken(app, create_case, post_email):
    case = create_case()
    big = photo_bytes(size=(3000, 2000))
    big += b"\0" * max(0, 2 * 1024 * 1024 - len(big))  # trailing bytes after the JPEG's end
    answer = post_email(mime(sender=case.customer.emails[0], images=[("big.jpg", big)]))
    assert answer.status_code == 201, answer.json


def test_two_deliveries_of_one_message_at_once_record_it_once(app, create_case, two_photos, client):
    """Two provider workers deliver the same message at the same moment."""
    import threading

    case = create_case()
    raw = mime(sender=case.customer.emails[0], images=two_photos).as_bytes()
    start, answers = threading.Barrier(2), []

    def deliver():
        with app.test_client() as own:
            start.wait()
            answers.append(
                own.post(
                    "/api/v1/inbound/email",
                    data=raw,
                    content_type="message/rfc822",
                    headers={"Authorization": f"Bearer {SECRET}"},
                )
            )

    workers = [threading.Thread(target=deliver) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert sorted(a.status_code for a in answers) == [200, 201], [a.json for a in answers]
    assert answers[0].json == answers[1].json
    db.session.remove()
    assert db.session.scalar(select(func.count()).select_from(Photo)) == 2


def test_photos_of_a_message_whose_recording_fails_leave_no_files(
    app, create_case, post_email, two_photos, media_root, monkeypatch
):
    from app.inbound import service

    real = service._photos

    def photos_then_fail(*args, **kwargs):
        real(*args, **kwargs)
        raise RuntimeError("the database went away after the photos were written")

    monkeypatch.setattr(service, "_photos", photos_then_fail)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    case = create_case()
    assert post_email(mime(sender=case.customer.emails[0], images=two_photos)).status_code == 500
    db.session.remove()
    assert [path for path in media_root.rglob("*") if path.is_file()] == []
    assert db.session.scalar(select(func.count()).select_from(Photo)) == 0
