"""A stock third-party JSON:API server: Django REST framework JSON:API (djangorestframework-jsonapi), with
Casebook's routes and attribute names, served by uvicorn on loopback.

Nothing here is ours but the models and routes: paging, links, meta, relationships, validation errors and
content negotiation are DRF JSON:API's own. Two mounts page differently:

* ``/people/people``, ``/providers/...``: ``JsonApiPageNumberPagination`` (``page[number]``, ``page[size]``;
  a plain ``page`` is ignored; ``meta.pagination``; links first/last/prev/next, no self);
* ``/offset/...``: ``JsonApiLimitOffsetPagination`` (``page[offset]``, ``page[limit]``).

Foreign keys are relationships (``ResourceRelatedField``): a ``provider_id`` attribute is silently ignored,
as DRF ignores any unknown input field. Run ``python drf_server.py DB_PATH PEOPLE``: it prints
``listening on http://127.0.0.1:<port>`` and serves until killed.
"""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import django
from django.conf import settings

sys.path.insert(0, str(Path(__file__).parent))  # the drf_casebook app beside this file

settings.configure(
    DEBUG=False,
    SECRET_KEY="test-only-not-a-secret",
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    USE_TZ=True,
    TIME_ZONE="UTC",
    INSTALLED_APPS=[
        "django.contrib.contenttypes",
        "rest_framework",
        "rest_framework_json_api",
        "django_filters",
        "drf_casebook",
    ],
    DATABASES={
        "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": sys.argv[1] if len(sys.argv) > 1 else ""}
    },
    DEFAULT_AUTO_FIELD="django.db.models.AutoField",
    REST_FRAMEWORK={
        "DEFAULT_AUTHENTICATION_CLASSES": [],
        "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
        "UNAUTHENTICATED_USER": None,
        "EXCEPTION_HANDLER": "rest_framework_json_api.exceptions.exception_handler",
        "DEFAULT_PAGINATION_CLASS": "rest_framework_json_api.pagination.JsonApiPageNumberPagination",
        "PAGE_SIZE": 10,
        "DEFAULT_PARSER_CLASSES": ["rest_framework_json_api.parsers.JSONParser"],
        "DEFAULT_RENDERER_CLASSES": ["rest_framework_json_api.renderers.JSONRenderer"],
        "DEFAULT_METADATA_CLASS": "rest_framework_json_api.metadata.JSONAPIMetadata",
        "DEFAULT_FILTER_BACKENDS": [
            "rest_framework_json_api.filters.QueryParameterValidationFilter",
            "rest_framework_json_api.filters.OrderingFilter",
            "rest_framework_json_api.django_filters.DjangoFilterBackend",
        ],
        "ORDERING_PARAM": "sort",
        "SEARCH_PARAM": "filter[search]",
        "TEST_REQUEST_RENDERER_CLASSES": ["rest_framework_json_api.renderers.JSONRenderer"],
        "TEST_REQUEST_DEFAULT_FORMAT": "vnd.api+json",
    },
)
django.setup()

from django.db import connection, models  # noqa: E402 - after settings.configure
from django.urls import path  # noqa: E402
from drf_casebook.models import Location, Person, Provider  # noqa: E402
from rest_framework import viewsets  # noqa: E402
from rest_framework_json_api import pagination, relations, serializers  # noqa: E402


class PersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = ("first_name", "last_name", "email", "hispanic_or_latino", "created_at", "updated_at")
        read_only_fields = ("created_at", "updated_at")


class ProviderSerializer(serializers.ModelSerializer):
    locations = relations.ResourceRelatedField(queryset=Location.objects, many=True, required=False)

    class Meta:
        model = Provider
        fields = ("name", "locations")


class LocationSerializer(serializers.ModelSerializer):
    provider = relations.ResourceRelatedField(queryset=Provider.objects, required=False, allow_null=True)

    class Meta:
        model = Location
        fields = ("name", "provider")


def viewset(model: type[models.Model], serializer: type[serializers.ModelSerializer], type_: str) -> type:
    return type(
        f"{model.__name__}ViewSet",
        (viewsets.ModelViewSet,),
        {
            "queryset": model.objects.all(),
            "serializer_class": serializer,
            "resource_name": type_,
            "ordering_fields": "__all__",
            "filterset_fields": {"last_name": ("exact",)} if model is Person else {},
        },
    )


class Offsets(pagination.JsonApiLimitOffsetPagination):
    default_limit = 10


def routes(prefix: str, paging: type | None = None) -> list[object]:
    found = []
    for model, serializer, route, type_ in (
        (Person, PersonSerializer, "people/people", "people"),
        (Provider, ProviderSerializer, "providers/providers", "providers"),
        (Location, LocationSerializer, "providers/locations", "locations"),
    ):
        view = viewset(model, serializer, type_)
        if paging is not None:
            view.pagination_class = paging
        found.append(path(f"{prefix}{route}", view.as_view({"get": "list", "post": "create"})))
        found.append(
            path(
                f"{prefix}{route}/<pk>",
                view.as_view({"get": "retrieve", "patch": "partial_update", "delete": "destroy"}),
            )
        )
    return found


urlpatterns = [*routes(""), *routes("offset/", Offsets)]


def seed(people: int) -> None:
    with connection.schema_editor() as editor:
        for model in (Person, Location, Provider):
            editor.create_model(model)
    Person.objects.bulk_create(
        Person(first_name=f"First{i}", last_name=f"Last{i % 7}", email=f"p{i}@example.org")
        for i in range(people)
    )
    Provider.objects.bulk_create(Provider(name=f"Provider {i}") for i in range(3))


def main() -> None:
    import uvicorn
    from django.core.asgi import get_asgi_application

    seed(int(sys.argv[2]))
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    print(f"listening on http://127.0.0.1:{sock.getsockname()[1]}", flush=True)
    config = uvicorn.Config(get_asgi_application(), lifespan="off", log_level="warning", access_log=False)
    uvicorn.Server(config).run(sockets=[sock])


if __name__ == "__main__":
    main()
