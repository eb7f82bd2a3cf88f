"""Every change a customer was told about sends at once, names the visit's kind and what comes next.

Messages go through a real SMTP server (aiosmtpd on loopback) or, with no SMTP_URL, into .eml
files; a reply to one of those finds its case again by In-Reply-To.
"""

from datetime import timedelta
from email import message_from_bytes, policy

from icalendar import Calendar
from sqlalchemy import select

from app.extensions import db
from app.notifications.models import Notification
from app.notifications.relay import relay_once
from app.visits.assignment import assign_technician, unassign_technician
from tests.conftest import MONDAY, denver

BOOK = "/api/v1/visits/{id}/assignment"


def queued(event=None, channel="email"):
    query = select(Notification).where(Notification.channel == channel).order_by(Notification.id)
    if event:
        query = query.where(Notification.event == event)
    return list(db.session.scalars(query))


def mails(smtp_server):
    return [message_from_bytes(e.content, policy=policy.default) for e in smtp_server.messages]


def subject(mail):
    """Python folds a long Subject right after the colon; readers unfold and strip it."""
    return str(mail["Subject"]).strip()


def text_of(mail):
    return mail.get_body(preferencelist=("plain",)).get_content()


def book(client, headers, visit, technician, hour):
    start = denver(MONDAY, hour).isoformat()
    answer = client.put(
        BOOK.format(id=visit.id),
        json={"technician_id": technician.id, "start": start},
        headers=headers,
    )
    assert answer.status_code == 200, answer.json
    return answer


def test_a_booking_names_the_visit_s_kind_what_to_prepare_and_carries_an_ics(
    client, dispatcher_headers, create_visit, create_technician, smtp_server
):
    visit = create_visit(type="installation")
    book(client, dispatcher_headers, visit, create_technician(name="Ada Lovelace"), 9)
    relay_once()

    (mail,) = mails(smtp_server)
    assert subject(mail).startswith("Your installation is booked")
    text = text_of(mail)
    assert "What happens next:" in text and "Clear the space where it goes" in text
    (attachment,) = list(mail.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    (entry,) = Calendar.from_ical(attachment.get_content()).walk("VEVENT")
    assert entry.decoded("dtstart") == denver(MONDAY, 9)
    assert "installation" in str(entry["summary"])


def test_unbooking_by_a_dispatcher_is_sent_with_what_happens_next(
    client, dispatcher_headers, create_visit, create_technician, smtp_server
):
    visit = create_visit()
    book(client, dispatcher_headers, visit, create_technician(), 9)
    relay_once()
    answer = client.delete(BOOK.format(id=visit.id), headers=dispatcher_headers)
    assert answer.status_code in (200, 204), answer.json
    relay_once()

    unbooked = mails(smtp_server)[-1]
    assert subject(unbooked) == "Your repair is no longer booked"
    assert "we book a new time and tell you at once" in text_of(unbooked)


def test_a_plan_that_rebooks_a_visit_sends_only_the_new_booking_not_the_unbooking(
    app, create_visit, create_technician, dispatcher, smtp_server
):
    visit, first, second = create_visit(), create_technician(), create_technician(name="Bo")
    assign_technician(visit.id, technician_id=first.id, start=denver(MONDAY, 9), actor=dispatcher)
    relay_once()
    # What apply_plan does for a moved visit: unbook it, then book it again.
    unassign_technician(visit.id, actor=dispatcher)
    assign_technician(visit.id, technician_id=second.id, start=denver(MONDAY, 13), actor=dispatcher)
    db.session.commit()  # the test is this unit of work's edge
    db.session.remove()  # the relay reads in a session of its own, as its thread or worker does
    relay_once()

    assert [n.status for n in queued("visit.unbooked")] == ["superseded"]
    assert "Bo will come" in text_of(mails(smtp_server)[-1])


def test_a_customer_refusing_the_technician_is_told_the_visit_is_unbooked_and_why(
    client, create_visit, create_technician, dispatcher, smtp_server
):
    from app.portal.tokens import issue_portal_link

    visit, technician = create_visit(), create_technician()
    assign_technician(
        visit.id, technician_id=technician.id, start=denver(MONDAY, 9), actor=dispatcher
    )
    relay_once()
    token = issue_portal_link(visit.case).token
    db.session.commit()
    refused = client.post(f"/api/v1/portal/{token}/refuse-technician", json={"reason": "No"})
    assert refused.status_code == 200, refused.json
    relay_once()

    assert "(you asked for another technician)" in text_of(mails(smtp_server)[-1])


def test_a_new_window_is_sent_at_once(client, dispatcher_headers, create_visit, smtp_server):
    visit = create_visit()
    window = {
        "window_start": denver(MONDAY, 12).isoformat(),
        "window_end": denver(MONDAY, 16).isoformat(),
    }
    answer = patch_visit(client, dispatcher_headers, visit, window)
    assert answer.status_code == 200, answer.json
    relay_once()

    (mail,) = mails(smtp_server)
    assert subject(mail).startswith("New time window for your repair")
    assert "between 12:00 and 16:00" in text_of(mail)


def test_locking_a_visit_without_moving_its_window_sends_nothing(
    client, dispatcher_headers, create_visit
):
    visit = create_visit()
    patch_visit(client, dispatcher_headers, visit, {"locked": True})
    assert queued() == []


def test_a_required_site_survey_is_said_up_front_and_not_replaced_by_later_changes(
    client, dispatcher_headers, create_case, create_visit, smtp_server
):
    case = create_case(title="New heat pump")
    survey = create_visit(case, type="site_survey")
    installation = create_visit(
        case,
        type="installation",
        window_start=denver(MONDAY + timedelta(days=7), 8),
        window_end=denver(MONDAY + timedelta(days=7), 17),
        requires=[survey.id],
    )
    window = {
        "window_start": denver(MONDAY + timedelta(days=7), 12).isoformat(),
        "window_end": denver(MONDAY + timedelta(days=7), 17).isoformat(),
    }
    patch_visit(client, dispatcher_headers, installation, window)
    relay_once()

    subjects = [subject(mail) for mail in mails(smtp_server)]
    assert "Before your installation: a site survey first" in subjects
    assert any(s.startswith("New time window for your installation") for s in subjects)
    (needed,) = [m for m in mails(smtp_server) if subject(m).startswith("Before")]
    assert "we book the site survey and tell you its time" in text_of(needed)


def test_no_access_and_completion_with_its_parts_reach_the_customer(
    client, dispatcher_headers, create_visit, create_technician, smtp_server
):
    visit, technician = create_visit(), create_technician()
    events = f"/api/v1/visits/{visit.id}/events"
    book(client, dispatcher_headers, visit, technician, 9)
    client.post(events, json={"type": "en_route"}, headers=dispatcher_headers)
    no_access = {"type": "no_access", "reason": "nobody answered the door"}
    assert client.post(events, json=no_access, headers=dispatcher_headers).status_code == 201
    relay_once()
    told = mails(smtp_server)[-1]
    assert subject(told) == "We could not get in for your repair"
    assert "(nobody answered the door)" in text_of(told)

    book(client, dispatcher_headers, visit, technician, 13)
    for kind in ("en_route", "on_site"):
        client.post(events, json={"type": kind}, headers=dispatcher_headers)
    done = {
        "type": "completed",
        "note": "Replaced the run capacitor; the compressor starts again.",
        "parts_used": [{"sku": "CAP-45-5", "quantity": 1}],
    }
    answer = client.post(events, json=done, headers=dispatcher_headers)
    assert answer.status_code == 201, answer.json
    relay_once()
    finished = mails(smtp_server)[-1]
    assert subject(finished) == "Your repair is done"
    assert "Replaced the run capacitor" in text_of(finished)
    assert "Parts fitted: 1 x Run capacitor 45/5 uF" in text_of(finished)


def test_without_an_smtp_server_mail_is_written_as_eml_and_a_reply_finds_the_case(
    app, client, create_visit, create_technician, dispatcher, monkeypatch, tmp_path
):
    from tests.app.inbound.conftest import SECRET, mime

    monkeypatch.setitem(app.config, "SMTP_URL", None)
    monkeypatch.setitem(app.config, "MAIL_DIR", str(tmp_path / "mail"))
    monkeypatch.setitem(app.config, "INBOUND_EMAIL_SECRET", SECRET)
    visit, technician = create_visit(), create_technician()
    assign_technician(
        visit.id, technician_id=technician.id, start=denver(MONDAY, 9), actor=dispatcher
    )
    relay_once()

    (written,) = (tmp_path / "mail").glob("*.eml")
    sent = message_from_bytes(written.read_bytes(), policy=policy.default)
    assert sent["To"] == visit.case.customer.emails[0]
    reply = mime(sender="neighbour@example.org", subject="Re: your visit")
    reply["In-Reply-To"] = sent["Message-ID"]
    answer = client.post(
        "/api/v1/inbound/email",
        data=reply.as_bytes(),
        content_type="message/rfc822",
        headers={"Authorization": f"Bearer {SECRET}"},
    )
    assert answer.status_code == 201, answer.json
    assert answer.json["case_number"] == visit.case.number


def test_a_booked_visit_s_new_window_says_the_booking_stays(
    client, dispatcher_headers, create_visit, create_technician, smtp_server
):
    visit = create_visit()
    book(client, dispatcher_headers, visit, create_technician(), 9)
    window = {
        "window_start": denver(MONDAY, 8).isoformat(),
        "window_end": denver(MONDAY, 12).isoformat(),
    }
    answer = patch_visit(client, dispatcher_headers, visit, window)
    assert answer.status_code == 200, answer.json
    relay_once()

    text = text_of(mails(smtp_server)[-1])
    assert "now has the window Monday 2 June 2031 between 08:00 and 12:00" in text
    assert "Your booking stays: Monday 2 June 2031 at 09:00" in text


def patch_visit(client, headers, visit, body):
    """PATCH with the If-Match of the version just read, as the dispatcher's screen sends it."""
    etag = client.get(f"/api/v1/visits/{visit.id}", headers=headers).headers["ETag"]
    return client.patch(
        f"/api/v1/visits/{visit.id}", json=body, headers={**headers, "If-Match": etag}
    )
