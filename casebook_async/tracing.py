"""OpenTelemetry spans (the optional ``[otel]`` extra): one per facade operation, or nothing at all.

Spans: each request (a CLIENT span following OpenTelemetry's HTTP client conventions, named by its route
template, ``GET /people/people/{id}``, retries included), each page of a listing or ``page()``, each listing
(``list people``), each flow and each bulk job (INTERNAL spans), nested as the calls are.

A client uses the ``tracer_provider`` it was given, else the global one once the application has set one.
When OpenTelemetry is not installed, or no provider is configured, nothing is imported and an operation
costs one check (``tracer()`` returning None). This module imports no OpenTelemetry: ``_otel`` does, and is
imported only once a tracer exists.
"""

from __future__ import annotations

import functools
import operator
import sys
from collections.abc import Callable, Coroutine, Mapping
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

if TYPE_CHECKING:
    from opentelemetry.trace import Tracer

    from .http import HTTPCore

P = ParamSpec("P")
T = TypeVar("T")

# The HTTPCore of a Casebook client or of a resource namespace (both have ``.http``).
client_of: Callable[[Any], HTTPCore] = operator.attrgetter("http")
_global: list[Tracer] = []  # the global provider's tracer, once there is one (it can be set only once)


def tracer_for(provider: Any) -> Tracer | None:
    """The tracer of ``provider`` (an OpenTelemetry TracerProvider), or of the global provider when None; None
    when there is nothing to trace to."""
    if provider is not None:
        return _tracer(provider)
    if _global:
        return _global[0]
    trace = sys.modules.get("opentelemetry.trace")
    if trace is None:  # nobody imported OpenTelemetry: no provider can have been configured
        return None
    provider = trace.get_tracer_provider()
    if isinstance(provider, trace.ProxyTracerProvider | trace.NoOpTracerProvider):  # not configured (yet)
        return None
    _global.append(_tracer(provider))
    return _global[0]


@functools.cache
def _tracer(provider: Any) -> Tracer:
    from . import __version__

    tracer: Tracer = provider.get_tracer("casebook_async", __version__)
    return tracer


def operation(
    name: str,
    core: Callable[[Any], HTTPCore],
    *,
    resource: Callable[[Any], str] | None = None,
    result: Callable[[Any], Mapping[str, Any]] | None = None,
) -> Callable[[Callable[P, Coroutine[Any, Any, T]]], Callable[P, Coroutine[Any, Any, T]]]:
    """Decorate a flow or a job: one INTERNAL span around each call, named ``name`` (and the resource's
    type). ``core`` finds the client's HTTPCore in the first argument, ``resource`` its resource type;
    ``result`` gives span attributes of the return value (e.g. a bulk report's counts)."""

    def decorate(function: Callable[P, Coroutine[Any, Any, T]]) -> Callable[P, Coroutine[Any, Any, T]]:
        @functools.wraps(function)
        async def call(*args: P.args, **kwargs: P.kwargs) -> T:
            tracer = core(args[0]).tracer()
            if tracer is None:
                return await function(*args, **kwargs)
            from . import _otel

            type_ = resource(args[0]) if resource is not None else None
            attributes = {} if type_ is None else {"casebook.resource": type_}
            with _otel.internal(tracer, name if type_ is None else f"{name} {type_}", attributes) as span:
                value = await function(*args, **kwargs)
                if result is not None:
                    span.set_attributes(result(value))
                return value

        return call

    return decorate
