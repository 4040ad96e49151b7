import pytest

from tests.isolation.routes import World, make_world


@pytest.fixture
def world(db) -> World:
    return make_world()
