"""Run inside a copy of the repository whose spec/ gained widgets.yaml (a throwaway service) and which was
regenerated with `make generate`, nothing edited by hand: ``cb.widgets`` works on the sandbox, and mypy
--strict checks it with the generated models (tests/spec/test_update_job.py)."""

from __future__ import annotations

from typing import assert_type

import anyio

from casebook_async import Casebook, InvalidInputError
from casebook_async.sandbox import Sandbox
from casebook_openapi.models import PersonCreateAttributes, Widget, WidgetCreateAttributes


async def main() -> None:
    async with Sandbox(seed=1, s3=False) as sb:
        app = sb.register_application()
        async with Casebook(
            base_url=sb.base_url,
            transport=sb.transport,
            client_id=app.client_id,
            client_secret=app.client_secret,
        ) as cb:
            created = await cb.widgets.create(WidgetCreateAttributes(name="sprocket", size=3))
            assert_type(created, Widget)
            await cb.widgets.update(created.id, {"color": "red"})
            await cb.widgets.create({"name": "gear"})
            async with cb.widgets.list(filter={"color": "red"}) as widgets:
                red = [widget.id async for widget in widgets]
            assert red == [created.id], red
            fetched = await cb.widgets.get(created.id)
            assert (fetched.attributes.name, fetched.attributes.size) == ("sprocket", 3), fetched
            try:
                await cb.widgets.create({"size": 1})
            except InvalidInputError as error:  # checked locally against the generated model
                refused = str(error)
            else:
                raise AssertionError("a widget without its required name was sent")
            assert "name" in refused, refused
            print(f"cb.widgets: {sb.inspect.records('widgets')[0]['attributes']['name']} ok")


async def wrong_model(cb: Casebook) -> None:
    """Never run: mypy must refuse another resource's model (else the ignore is unused, an error)."""
    await cb.widgets.create(PersonCreateAttributes(first_name="Jo", last_name="Doe"))  # type: ignore[arg-type]


if __name__ == "__main__":
    anyio.run(main)
