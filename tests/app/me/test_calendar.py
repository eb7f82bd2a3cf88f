"""The calendar feed: the signed address is the credential, and it lists my visits."""

from icalendar import Calendar


def test_a_calendar_app_reads_my_visits_with_the_signed_address(client, technician_user, book):
    visit = book(technician_user["technician"])
    link = client.post("/api/v1/me/calendar-token", headers=technician_user["headers"])

    feed = client.get("/api/v1/me/calendar.ics", query_string={"token": link.json["token"]})

    assert link.status_code == 201 and link.json["url"].endswith(link.json["token"])
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    events = Calendar.from_ical(feed.data).walk("VEVENT")
    assert [str(event["uid"]) for event in events] == [f"visit-{visit.id}@firstfix"]
    assert visit.case.number in str(events[0]["summary"])


def test_a_forged_token_finds_no_calendar(client, technician_user):
    token = client.post("/api/v1/me/calendar-token", headers=technician_user["headers"]).json
    forged = token["token"][:-2] + ("AA" if not token["token"].endswith("AA") else "BB")

    assert client.get(f"/api/v1/me/calendar.ics?token={forged}").status_code == 404


def test_a_newline_stored_in_a_name_or_title_does_not_break_the_feed(
    client, technician_user, book, create_case
):
    """Rows written before names were kept to one line, or by a path with no schema (CLI)."""
    technician = technician_user["technician"]
    technician.name = "Ann\nSmith\x01"
    visit = book(technician, case=create_case(title="Leak\r\nunder sink"))
    token = client.post("/api/v1/me/calendar-token", headers=technician_user["headers"]).json

    feed = client.get("/api/v1/me/calendar.ics", query_string={"token": token["token"]})

    assert feed.status_code == 200
    calendar = Calendar.from_ical(feed.data)
    assert str(calendar["x-wr-calname"]) == "FirstFix visits of Ann Smith "
    (event,) = calendar.walk("VEVENT")
    assert str(event["uid"]) == f"visit-{visit.id}@firstfix"
    assert "Leak\nunder sink" in str(event["summary"])
