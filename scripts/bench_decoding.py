"""(3) Decoding: CPU per record for a 100-person page, from the bytes the server sent.

json.loads alone (the floor of any client), ours (json.loads, then the page's records: lazy, so their
attributes are parsed when first read), ours with every record's attributes read, and the generated
client's own parse (json.loads, then PersonCollectionDocument.from_dict). Best of several rounds each:
this is pure CPU, and the minimum is the least disturbed by the machine's other work."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import httpx
from bench_server import CLIENT_ID, CLIENT_SECRET

from casebook_async.documents import Page
from casebook_openapi.models import Person, PersonCollectionDocument

RECORDS = 100


def page_bytes(base_url: str) -> bytes:
    form = {"grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}
    token = httpx.post(f"{base_url}/oauth/token", data=form).json()["access_token"]
    response = httpx.get(
        f"{base_url}/people/people?page[size]={RECORDS}", headers={"Authorization": f"Bearer {token}"}
    )
    response.raise_for_status()
    return response.content


def per_record(work: Callable[[], object], rounds: int = 7, repeat: int = 200) -> float:
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        for _ in range(repeat):
            work()
        best = min(best, (time.process_time() - started) / repeat)
    return best / RECORDS


def run(base_url: str) -> dict[str, float]:
    body = page_bytes(base_url)
    if len(json.loads(body)["data"]) != RECORDS:
        raise RuntimeError(f"expected a page of {RECORDS} people")

    def ours() -> object:
        return Page.parse(Person, json.loads(body), 1).data

    def ours_read() -> object:
        return [person.attributes.last_name for person in Page.parse(Person, json.loads(body), 1).data]

    return {
        "json": per_record(lambda: json.loads(body)),
        "ours": per_record(ours),
        "ours_read": per_record(ours_read),
        "generated": per_record(lambda: PersonCollectionDocument.from_dict(json.loads(body)), repeat=50),
    }
