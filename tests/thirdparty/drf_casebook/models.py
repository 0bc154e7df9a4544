"""The models behind tests/thirdparty/drf_server.py: Casebook's people, providers and locations."""

from django.db import models


class Person(models.Model):
    class JSONAPIMeta:
        resource_name = "people"

    first_name = models.CharField(max_length=50)
    last_name = models.CharField(max_length=50)
    email = models.EmailField(null=True, blank=True)
    hispanic_or_latino = models.CharField(
        max_length=20,
        default="unknown",
        choices=[(v, v) for v in ("yes", "no", "unable to determine", "unknown")],
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("id",)


class Provider(models.Model):
    class JSONAPIMeta:
        resource_name = "providers"

    name = models.CharField(max_length=100)
    locations = models.ManyToManyField("Location", related_name="listed_by", blank=True)

    class Meta:
        ordering = ("id",)


class Location(models.Model):
    class JSONAPIMeta:
        resource_name = "locations"

    name = models.CharField(max_length=100)
    provider = models.ForeignKey(Provider, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ("id",)
