"""Casebook adapter for ../shared/peers/rt/bench.py (loaded with --adapter-file).

Same four operations as RT's adapter, against Casebook's JSON API with a bearer token
(`--auth token --token-file FILE`), so both help desks are measured by one client in one run.
"""
import random

import requests


class CasebookAdapter:
    """Casebook /api/v1 with an API token."""

    def __init__(self, base, auth, user, password, token):
        self.base, self.token = base.rstrip("/"), token

    def new_session(self):
        s = requests.Session()
        s.headers["Authorization"] = "Bearer " + self.token
        return s

    def create_ticket(self, subject, body):
        return "POST", self.base + "/api/v1/cases", {"json": {"subject": subject, "description": body}}

    def get_ticket(self, tid):
        return "GET", self.base + "/api/v1/cases/%s" % tid, {}

    def search(self, query):
        if isinstance(query, str):
            # bench.py's mail check asks in RT's query language: "Subject LIKE 'mail-<run id>'".
            words = query.split("'")
            query = {"q": words[1] if len(words) > 1 else query}
        params = dict(query)
        params.setdefault("limit", 20)
        return "GET", self.base + "/api/v1/cases", {"params": params}

    @staticmethod
    def created_id(resp):
        return resp.json()["number"]

    @staticmethod
    def count_tickets(adapter, s):
        r = s.get(adapter.base + "/metrics", timeout=120)
        r.raise_for_status()
        for line in r.text.splitlines():
            if line.startswith("casebook_cases "):
                return int(float(line.split()[1]))
        return 0

    # The same three questions RT's adapter asks, in Casebook's terms.
    SEARCHES = {
        # selective: the words of one ticket's subject (full-text index)
        "search-subject-like": lambda rnd: {"q": "bench %06d" % rnd.randrange(0, 500)},
        # broad: all new cases, first page, newest first
        "search-queue-status": lambda rnd: {"status": "new", "sort": "-number"},
        # a window of recent cases by number order (keyset-friendly)
        "search-id-range": lambda rnd: {"sort": "number", "status": "new,open"},
    }


ADAPTERS = {"casebook": CasebookAdapter}
