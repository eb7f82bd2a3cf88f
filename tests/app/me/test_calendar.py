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
