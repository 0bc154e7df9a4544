"""Deterministic seed data: the same seed gives the same records, ids and timestamps."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

from .records import Records
from .validation import timestamp

FIRST = (
    "Ada",
    "Ben",
    "Chloe",
    "Dev",
    "Elena",
    "Farid",
    "Grace",
    "Hiro",
    "Imani",
    "Jonas",
    "Kai",
    "Lena",
    "Mateo",
    "Nia",
    "Omar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sam",
    "Tariq",
    "Uma",
    "Victor",
    "Wen",
    "Yara",
)
LAST = (
    "Doe",
    "Smith",
    "Garcia",
    "Nguyen",
    "Okafor",
    "Kowalski",
    "Haddad",
    "Tanaka",
    "Ivanova",
    "Silva",
    "Murphy",
    "Cohen",
    "Singh",
    "Larsen",
    "Moreau",
    "Rossi",
    "Kim",
    "Novak",
    "Ali",
    "Brown",
)
CITIES = (
    "Springfield",
    "Riverton",
    "Lakeside",
    "Fairview",
    "Greenville",
    "Hillcrest",
    "Oakdale",
    "Brookfield",
)
ORG_WORDS = (
    "Harbor",
    "Beacon",
    "Bridge",
    "Cedar",
    "Summit",
    "Unity",
    "Compass",
    "Maple",
    "Horizon",
    "Anchor",
)
SERVICES = (
    "Food Pantry",
    "Housing Support",
    "Counseling",
    "Job Training",
    "Legal Aid",
    "Child Care",
    "Transportation",
    "Health Screening",
)
EPOCH = datetime(2024, 1, 1, tzinfo=UTC)


class SeedGenerator:
    def __init__(self, records: Records, seed: int, call: int) -> None:
        self.records = records
        self.store = records.store
        self.rng = random.Random(f"casebook-sandbox-seed:{seed}:{call}")  # noqa: S311 - determinism only
        self.minutes = 0

    def _enum(self, type_: str, attribute: str) -> Any:
        enum = self.store.resources[type_].attributes[attribute].enum
        return self.rng.choice(enum) if enum else None

    def _date(self, start_year: int, end_year: int) -> str:
        start = date(start_year, 1, 1)
        return (start + timedelta(days=self.rng.randrange((date(end_year, 12, 31) - start).days))).isoformat()

    def _add(self, type_: str, attributes: dict[str, Any]) -> str:
        self.minutes += 1
        created = timestamp(EPOCH + timedelta(minutes=self.minutes))
        resource = self.store.resources[type_]
        return self.store.insert(
            type_, self.records.build(resource, attributes, created), record_write=False
        ).id

    def person(self, index: int) -> str:
        first, last = self.rng.choice(FIRST), self.rng.choice(LAST)
        return self._add(
            "people",
            {
                "first_name": first,
                "last_name": last,
                "date_of_birth": self._date(1940, 2015),
                "gender": self.rng.choice(("female", "male", "nonbinary", None)),
                "hispanic_or_latino": self._enum("people", "hispanic_or_latino"),
                "email": f"{first}.{last}.{index}@example.org".lower(),
                "phone_number": f"555-{self.rng.randrange(10000):04d}",
            },
        )

    def provider(self, index: int, locations: int, offerings: int) -> dict[str, list[str]]:
        name = f"{self.rng.choice(ORG_WORDS)} {self.rng.choice(ORG_WORDS)} Services {index + 1}"
        provider_id = self._add(
            "providers",
            {
                "name": name,
                "provider_type": self.rng.choice(("nonprofit", "government", "faith_based")),
                "email": f"contact{index + 1}@provider.example.org",
                "phone_number": f"555-{self.rng.randrange(10000):04d}",
                "website": f"https://provider{index + 1}.example.org",
            },
        )
        location_ids = [
            self._add(
                "locations",
                {
                    "name": f"{name} - {city}",
                    "address_line_1": f"{self.rng.randrange(1, 999)} Main Street",
                    "city": city,
                    "state_or_province": "CA",
                    "postal_code": f"{self.rng.randrange(90000, 96000)}",
                    "country": "US",
                    "provider_id": provider_id,
                },
            )
            for city in (self.rng.choice(CITIES) for _ in range(locations))
        ]
        # Seeded providers are fully linked, as if the documented follow-up PATCH had been made.
        provider = self.store.get("providers", provider_id)
        assert provider is not None
        provider.attributes["location_ids"] = list(location_ids)
        offering_ids = [
            self._add(
                "service_offerings",
                {
                    "provider_id": provider_id,
                    "name": self.rng.choice(SERVICES),
                    "description": "Seeded service offering.",
                    "archived": self.rng.random() < 0.2,
                    "location_id": self.rng.choice(location_ids) if location_ids else None,
                },
            )
            for _ in range(offerings)
        ]
        return {"providers": [provider_id], "locations": location_ids, "service_offerings": offering_ids}

    def case(self, index: int, people: list[str], involvements: int) -> dict[str, list[str]]:
        status = self._enum("cases", "status")
        case_id = self._add(
            "cases",
            {
                "name": f"Case {index + 1:05d}",
                "status": status,
                "opened_at": self._date(2020, 2024),
                "closed_at": self._date(2024, 2025) if status == "closed" else None,
                "primary_person_id": self.rng.choice(people) if people else None,
            },
        )
        involvement_ids = [
            self._add(
                "involvements",
                {
                    "case_id": case_id,
                    "person_id": self.rng.choice(people),
                    "role": self.rng.choice(("client", "guardian", "caregiver", "sibling")),
                    "start_date": self._date(2020, 2024),
                },
            )
            for _ in range(involvements if people else 0)
        ]
        return {"cases": [case_id], "involvements": involvement_ids}

    def note(self, index: int, targets: list[tuple[str, str]]) -> str:
        record_type, record_id = self.rng.choice(targets)
        return self._add(
            "notes",
            {
                "subject": f"Note {index + 1}",
                "body": f"Seeded note {index + 1} about {record_type} {record_id}.",
                "record_type": record_type,
                "record_id": record_id,
            },
        )

    def user(self, index: int) -> str:
        first, last = self.rng.choice(FIRST), self.rng.choice(LAST)
        return self._add(
            "users",
            {
                "first_name": first,
                "last_name": last,
                "email": f"{first}.{last}.staff{index}@agency.example.org".lower(),
                "active": True,
            },
        )

    def unit_of_work(self, index: int, targets: list[tuple[str, str]]) -> str:
        attributes: dict[str, Any] = {
            "name": f"Follow-up {index + 1}",
            "status": self._enum("units_of_work", "status"),
            "due_at": timestamp(EPOCH + timedelta(days=30 + self.rng.randrange(365))),
        }
        if targets:
            attributes["record_type"], attributes["record_id"] = self.rng.choice(targets)
        return self._add("units_of_work", attributes)
