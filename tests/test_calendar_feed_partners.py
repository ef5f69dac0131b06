"""A partner's calendar event names the bodies that lead the work, whom its input goes to, as its
mails do: the feed had said "vai trò của cơ quan: Phối hợp" and nothing of whom it works with."""

from __future__ import annotations

from datetime import timedelta

from icalendar import Calendar

from tests.support.web import WebEnv

DONE_ITEM = "99/KH-TEST:II.3"  # Sở TT&TT leads; the departments ("@so-ban-nganh") are its partners


def _description(feed: bytes, part: int) -> list[str]:
    (event,) = [e for e in Calendar.from_ical(feed).walk("VEVENT") if str(e["uid"]).startswith(f"assignment-{part}@")]
    return str(event["description"]).splitlines()


def test_a_partners_event_names_the_lead_on_both_feeds(web: WebEnv) -> None:
    partner, lead = web.assignment(DONE_ITEM, "so-noi-vu"), web.assignment(DONE_ITEM, "so-tttt")
    said = "Cơ quan chủ trì: Sở Thông tin và Truyền thông"
    own = web.client.get(f"/a/{web.link('agency:so-noi-vu')}/calendar.ics").content
    lines = _description(own, partner)
    assert lines[0].endswith("vai trò của cơ quan: Phối hợp") and lines[1] == said, lines
    api = web.client.get("/api/v1/calendar.ics?agency=so-noi-vu", headers=web.api_token("secretariat")).content
    assert said in _description(api, partner)
    # the lead's own event names nobody: it is the lead
    leads = web.client.get(f"/a/{web.link('agency:so-tttt')}/calendar.ics").content
    assert not any(line.startswith("Cơ quan chủ trì") for line in _description(leads, lead))


def test_an_event_says_when_its_state_was_read_and_the_feed_asks_to_be_fetched_hourly(web: WebEnv) -> None:
    """A subscribed calendar shows an event until its next fetch: "Tình trạng: Đã giao — Còn hạn" read
    the day after its date, from yesterday's fetch, was false. The state is said with its instant."""
    part = web.assignment(DONE_ITEM, "so-noi-vu")
    now = web.clock.now().astimezone(web.settings.tz)
    feed = web.client.get(f"/a/{web.link('agency:so-noi-vu')}/calendar.ics").content
    (state,) = [line for line in _description(feed, part) if line.startswith("Tình trạng")]
    assert state.startswith(f"Tình trạng lúc {now:%H:%M} ngày {now:%d/%m/%Y}: "), state
    later = web.clock.now() + timedelta(days=1, hours=3)
    web.clock.set(later)
    again = web.client.get(f"/a/{web.link('agency:so-noi-vu')}/calendar.ics").content
    (state,) = [line for line in _description(again, part) if line.startswith("Tình trạng")]
    assert f"ngày {later.astimezone(web.settings.tz):%d/%m/%Y}: " in state, state
    calendar = Calendar.from_ical(again)
    assert calendar["refresh-interval"].dt == timedelta(hours=1)
    assert str(calendar["x-published-ttl"]) == "PT1H"


def test_the_feed_keeps_working_under_a_query_its_subscriber_added(web: WebEnv) -> None:
    """The feed reads no query name, so none can narrow it; a calendar client shows no error page, and a
    subscription whose address a person or client decorated ("?v=2", to make a client fetch it anew) would
    stop updating without a word. It is the one page that takes any name, on purpose."""
    token = web.link("agency:so-noi-vu")
    plain = web.client.get(f"/a/{token}/calendar.ics")
    decorated = web.client.get(f"/a/{token}/calendar.ics?v=2&utm_source=mail")
    assert decorated.status_code == plain.status_code == 200
    assert decorated.headers["content-type"].startswith("text/calendar")
    assert web.client.get("/a/forged/calendar.ics?v=2").status_code == 403
