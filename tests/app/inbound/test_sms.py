"""POST /inbound/sms: Twilio's signed form lands by phone number; MMS images become photos.

MMS media are fetched over real HTTPS from a loopback server with a self-signed certificate
(trusted through REQUESTS_CA_BUNDLE); nothing is patched between the app and that server.
"""

from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select
from twilio.request_validator import RequestValidator

from app.extensions import db
from app.photos.models import Photo
from tests.app.inbound.https_server import serve_https
from tests.app.photos.phone import photo_bytes

SID, TOKEN = "AC" + "1" * 32, "twilio-auth-token-for-tests"
URL = "http://localhost/api/v1/inbound/sms"  # PUBLIC_URL + path: what the provider was given


@pytest.fixture(autouse=True)
def sms_provider(app, monkeypatch):
    monkeypatch.setitem(app.config, "SMS_ACCOUNT_SID", SID)
    monkeypatch.setitem(app.config, "SMS_AUTH_TOKEN", TOKEN)


@pytest.fixture
def media_host(app, monkeypatch, tmp_path):
    server, host, cert = serve_https(tmp_path)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(cert))
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_PRIVATE", True)  # the host is on loopback
    host.base = f"https://localhost:{server.server_address[1]}"
    yield host
    server.shutdown()
    server.server_close()


def form(sender, body="", *, sid="SM" + "a" * 32, media=()):
    fields = {"MessageSid": sid, "AccountSid": SID, "From": sender, "To": "+13035550000"}
    fields.update(Body=body, NumMedia=str(len(media)))
    for number, url in enumerate(media):
        fields[f"MediaUrl{number}"] = url
        fields[f"MediaContentType{number}"] = "image/jpeg"
    return fields


@pytest.fixture
def post_sms(client):
    def post(fields, *, signature=None, token=TOKEN):
        signature = signature or RequestValidator(token).compute_signature(URL, fields)
        return client.post(
            "/api/v1/inbound/sms",
            data=urlencode(fields),
            content_type="application/x-www-form-urlencoded",
            headers={"X-Twilio-Signature": signature},
        )

    return post


def test_a_signed_sms_lands_on_the_customer_s_case_by_phone_number(create_case, post_sms):
    case = create_case()
    phone = case.customer.phones[0]
    answer = post_sms(form(phone, "The engineer can park in the drive."))
    assert answer.status_code == 201, answer.json
    assert answer.json["case_number"] == case.number
    assert answer.json["interaction"]["channel"] == "sms"
    assert post_sms(form(phone, "The engineer can park in the drive.")).status_code == 200


def test_an_invalid_or_missing_signature_is_refused(create_case, post_sms):
    case = create_case()
    fields = form(case.customer.phones[0], "hello")
    assert post_sms(fields, token="another-account-token").status_code == 403
    assert post_sms(fields, signature="bm90IGEgc2lnbmF0dXJl").status_code == 403
    signed = RequestValidator(TOKEN).compute_signature(URL, fields)
    tampered = {**fields, "From": "+13035559999"}
    assert post_sms(tampered, signature=signed).status_code == 403


def test_without_a_provider_token_nothing_is_taken(app, create_case, post_sms, monkeypatch):
    monkeypatch.setitem(app.config, "SMS_AUTH_TOKEN", None)
    case = create_case()
    assert post_sms(form(case.customer.phones[0], "hi")).status_code == 401


def test_mms_images_are_fetched_over_https_with_the_account_s_credentials(
    create_case, post_sms, media_host
):
    case = create_case()
    media_host.files["/media/one"] = photo_bytes(colour="green")
    media_host.files["/media/two"] = photo_bytes(colour="yellow")
    urls = [f"{media_host.base}/media/one", f"{media_host.base}/media/two"]
    answer = post_sms(form(case.customer.phones[0], "Photos", media=urls))
    assert answer.status_code == 201, answer.json
    assert [p["status"] for p in answer.json["photos"]] == ["ready", "ready"]
    assert {p["sender"] for p in answer.json["photos"]} == {case.customer.phones[0]}
    assert all(auth and auth.startswith("Basic ") for _path, auth in media_host.requests)


def test_plain_http_media_is_not_fetched(create_case, post_sms, media_host):
    case = create_case()
    answer = post_sms(form(case.customer.phones[0], "x", media=["http://localhost/media/one"]))
    assert answer.status_code == 201
    assert answer.json["photos"] == []
    assert answer.json["not_stored"][0]["reason"] == "only https media is fetched"
    assert media_host.requests == []


def test_media_larger_than_the_limit_is_not_stored(
    app, create_case, post_sms, media_host, monkeypatch
):
    monkeypatch.setitem(app.config, "MAX_PHOTO_BYTES", 1000)
    case = create_case()
    media_host.files["/media/big"] = photo_bytes()
    answer = post_sms(form(case.customer.phones[0], "x", media=[f"{media_host.base}/media/big"]))
    assert answer.json["photos"] == []
    assert "more than 1000" in answer.json["not_stored"][0]["reason"]


def test_a_redirect_elsewhere_gets_no_credentials(create_case, post_sms, media_host):
    case = create_case()
    media_host.files["/media/one"] = photo_bytes()
    port = media_host.base.rsplit(":", 1)[1]
    media_host.redirect_to = f"https://127.0.0.1:{port}"  # the CDN: another host name
    answer = post_sms(
        form(case.customer.phones[0], "x", media=[f"{media_host.base}/redirect/media/one"])
    )
    assert answer.json["photos"][0]["status"] == "ready", answer.json
    (_first, first_auth), (_second, second_auth) = media_host.requests
    assert first_auth is not None and second_auth is None


def test_an_sms_from_an_unknown_number_is_kept_for_review(post_sms, client, agent_headers):
    answer = post_sms(form("+13035550199", "Who is this"))
    assert answer.status_code == 422
    listed = client.get("/api/v1/inbound/unmatched", headers=agent_headers).json
    assert [(m["channel"], m["sender"]) for m in listed] == [("sms", "+13035550199")]


def test_a_case_number_in_the_text_wins_over_the_number(create_case, post_sms):
    first, other = create_case(), create_case()
    answer = post_sms(form(first.customer.phones[0], f"about {other.number.lower()}"))
    assert answer.json["case_number"] == other.number


def test_only_the_provider_s_form_is_taken(create_case, client):
    answer = client.post("/api/v1/inbound/sms", json={"From": "+13035550100"})
    assert answer.status_code == 415
    assert db.session.scalar(select(func.count()).select_from(Photo)) == 0


def test_an_unmatched_mms_is_attached_with_its_photo_fetched_then(
    create_case, post_sms, media_host, client, agent_headers
):
    media_host.files["/media/one"] = photo_bytes()
    refused = post_sms(form("+13035550199", "Leak!", media=[f"{media_host.base}/media/one"]))
    assert refused.status_code == 422
    case = create_case()
    attached = client.post(
        f"/api/v1/inbound/unmatched/{refused.json['unmatched_id']}/attach",
        json={"case_number": case.number},
        headers=agent_headers,
    )
    assert attached.status_code == 201, attached.json
    assert [p["status"] for p in attached.json["photos"]] == ["ready"]
    assert attached.json["interaction"]["sender"] == "+13035550199"
