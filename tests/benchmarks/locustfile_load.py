"""What each simulated researcher does in the load test (run by bench_load.py, which
prepares the people, tokens and resources and passes them in LOAD_CONFIG).

A researcher reads instrument pages, asks for free time, books slots of their own (each
must succeed: 201), polls their calendar feed as a calendar client does (sending the ETag of
the copy it holds: 200 with the feed, or 304 when nothing changed) and now and then joins a
rush on one contested slot that every researcher goes for in the same few seconds. On a
contested slot exactly one request wins (201); every other answer must be the expected
refusal, 409 with code `slot_taken`, which is counted as handled, not as an error. Anything
else is an error.
"""

import datetime
import itertools
import json
import os
import random
import time

from locust import HttpUser, between, task

with open(os.environ["LOAD_CONFIG"]) as config:
    CONFIG = json.load(config)
FIRST_SLOT = datetime.datetime.fromisoformat(CONFIG["first_slot"])
# Weeks after the researchers' own slots, so a win never overlaps its winner's own booking.
RUSH_SLOT = FIRST_SLOT + datetime.timedelta(days=28)
STARTED = time.monotonic()
# Every researcher aims at the same contested slot during each window of this many seconds.
RUSH_SECONDS = 3
identities = itertools.count()


def slot(index: int, first: datetime.datetime = FIRST_SLOT) -> tuple[str, str]:
    """The index-th hour from `first`, as ISO start and end."""
    start = first + datetime.timedelta(hours=index)
    return start.isoformat(), (start + datetime.timedelta(hours=1)).isoformat()


def won_or_slot_taken(response) -> bool:
    """The two right answers to a rush: booked, or 409 `slot_taken` for the losers."""
    if response.status_code == 201:
        return True
    return response.status_code == 409 and response.json().get("code") == "slot_taken"


class Researcher(HttpUser):
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        me = CONFIG["researchers"][next(identities) % len(CONFIG["researchers"])]
        self.client.headers["Authorization"] = f"Bearer {me['token']}"
        self.own_resource = me["resource"]
        self.feed = f"/bookings/feeds/{me['feed']}.ics"
        self.feed_etag = ""
        self.own_slots = itertools.count()
        self.rushed: set[int] = set()

    @task(4)
    def read_an_instrument_page(self) -> None:
        self.client.get(random.choice(CONFIG["pages"]), name="instrument page")

    @task(2)
    def ask_for_free_time(self) -> None:
        start, _ = slot(0)
        end = (FIRST_SLOT + datetime.timedelta(days=7)).isoformat()
        self.client.get(
            f"/api/v1/resources/{self.own_resource}/availability/",
            params={"start": start, "end": end},
            name="free time (API)",
        )

    @task(2)
    def book_an_own_slot(self) -> None:
        start, end = slot(next(self.own_slots))
        with self.book(self.own_resource, start, end, "book own slot (API)") as response:
            if response.status_code != 201:
                response.failure(f"{response.status_code}: {response.text[:200]}")

    @task(1)
    def poll_the_calendar_feed(self) -> None:
        headers = {"If-None-Match": self.feed_etag} if self.feed_etag else {}
        with self.client.get(
            self.feed, headers=headers, name="calendar feed", catch_response=True
        ) as response:
            if response.status_code in (200, 304):
                self.feed_etag = response.headers.get("ETag", self.feed_etag)
                response.success()
            else:
                response.failure(f"{response.status_code}: {response.text[:200]}")

    @task(1)
    def join_the_rush(self) -> None:
        rush = int((time.monotonic() - STARTED) // RUSH_SECONDS)
        if rush in self.rushed:
            return
        self.rushed.add(rush)
        start, end = slot(rush, RUSH_SLOT)
        with self.book(CONFIG["contested"], start, end, "book contested slot (API)") as response:
            if won_or_slot_taken(response):
                response.success()
            else:
                response.failure(f"{response.status_code}: {response.text[:200]}")

    def book(self, resource: int, start: str, end: str, name: str):
        body = {"resource": resource, "project": CONFIG["project"], "start": start, "end": end}
        return self.client.post("/api/v1/bookings/", json=body, name=name, catch_response=True)
