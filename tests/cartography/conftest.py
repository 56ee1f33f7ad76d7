"""Fixtures of the land workspace tests: city staff, an ordinary user, geometry helpers."""

import math

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.gis.geos import MultiPolygon, Point, Polygon

#: The group the data migration creates for city services.
CITY_SERVICES = "Services de la Ville"
#: Metres per degree of latitude; a degree of longitude is this times cos(latitude).
M_PER_DEGREE = 111_320


def east_of(point: Point, metres: float) -> Point:
    """The point `metres` east of `point` (good to a metre at Lille's scale)."""
    dlon = metres / (M_PER_DEGREE * math.cos(math.radians(point.y)))
    return Point(point.x + dlon, point.y, srid=4326)


def square_east_of(point: Point, metres: float, side: float = 200) -> MultiPolygon:
    """A square of `side` metres whose west edge lies `metres` east of `point`."""
    west = east_of(point, metres).x
    east = east_of(point, metres + side).x
    half = side / 2 / M_PER_DEGREE
    polygon = Polygon.from_bbox((west, point.y - half, east, point.y + half))
    return MultiPolygon(polygon, srid=4326)


def square_around(point: Point, side: float) -> MultiPolygon:
    """A square of `side` metres centred on `point`."""
    half_lat = side / 2 / M_PER_DEGREE
    half_lon = side / 2 / (M_PER_DEGREE * math.cos(math.radians(point.y)))
    polygon = Polygon.from_bbox(
        (point.x - half_lon, point.y - half_lat, point.x + half_lon, point.y + half_lat)
    )
    return MultiPolygon(polygon, srid=4326)


@pytest.fixture
def city_staff(db) -> User:
    """An officer of the city services: in the group, not a superuser, not admin staff."""
    user = User.objects.create_user(
        "agent", password="mot-de-passe-agent", first_name="Camille", last_name="Agent"
    )
    user.groups.add(Group.objects.get(name=CITY_SERVICES))
    return user


@pytest.fixture
def ordinary_user(db) -> User:
    return User.objects.create_user("habitant", password="mot-de-passe-habitant")


@pytest.fixture
def staff_client(client, city_staff):
    client.force_login(city_staff)
    return client
