"""The simulated users of bench/crisis_load.py: each one requests one page, again and again.

bench/crisis_load.py runs locust once per page and says which through the environment:
TOCSIN_BENCH_PATH (the page), TOCSIN_BENCH_EXPECT (a text the page must contain) and
TOCSIN_BENCH_SESSIONS (a JSON file of session keys, one per user; empty: anonymous). A
redirect (to the login or to the second factor) or a page without the expected text counts as
an error: a benchmark of the login page would otherwise pass for one of the dashboard.
"""

import itertools
import json
import os
from pathlib import Path

from locust import FastHttpUser, constant, task

PATH = os.environ["TOCSIN_BENCH_PATH"]
EXPECT = os.environ.get("TOCSIN_BENCH_EXPECT", "")
SESSIONS_FILE = os.environ.get("TOCSIN_BENCH_SESSIONS", "")
SESSIONS = json.loads(Path(SESSIONS_FILE).read_text()) if SESSIONS_FILE else []
_next_session = itertools.count()


class CellMember(FastHttpUser):
    wait_time = constant(0)  # no think time: the server's capacity, not a browsing pace

    def on_start(self):
        # The session cookie is sent by hand and nothing the server sets is kept, so that every
        # request of a user carries exactly its own session.
        self.client.client.cookiejar = None
        self.headers = {}
        if SESSIONS:
            key = SESSIONS[next(_next_session) % len(SESSIONS)]
            self.headers["Cookie"] = f"sessionid={key}"

    @task
    def page(self):
        with self.client.get(
            PATH, headers=self.headers, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            elif EXPECT and EXPECT not in response.text:
                response.failure(f"page sans « {EXPECT} »")
