"""One building drawn twice (review 14w): an outline and its copy or HATCH moved or turned
by more than 0.5 m but overlapping by most of it is one building; two thin walls metres
apart, or touching in an L, are two; numbers through the overlay's building reader."""

import sys
from pathlib import Path

import pytest
from shapely import affinity
from shapely.geometry import box

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from roadinfra.core.cadastre.buildings import _same_buildings  # noqa: E402

HOUSE = box(0, 0, 12, 16.5)  # 198 m2, a house of house C's size
TUBE = box(0, 0, 4, 15)


@pytest.mark.parametrize("other, why", [
    (affinity.translate(HOUSE, 0.7, 0.0), "copied 0.70 m"),
    (affinity.translate(HOUSE, 1.0, 0.0), "copied 1.0 m"),
    (affinity.translate(HOUSE, 0.4, 0.7), "its HATCH moved (0.4, 0.7) m"),
    (affinity.rotate(HOUSE, 2, origin=(0, 0)), "turned 2 degrees"),
])
def test_a_house_drawn_again_off_by_more_than_half_a_metre_is_one_building(other, why):
    assert _same_buildings([HOUSE, other], [False, True])[0] == {1: 0}, why


def test_a_tube_house_and_its_hatch_turned_two_degrees_are_one_building():
    turned = affinity.rotate(TUBE, 2, origin=(0, 0))
    assert _same_buildings([TUBE, turned], [False, True])[0] == {1: 0}


@pytest.mark.parametrize("second", [
    box(0, 3.0, 20, 3.22),    # parallel, 2.78 m apart
    box(0, 11.0, 20, 11.22),  # 10.78 m apart
    box(0, 0, 0.22, 8),       # touching in an L
])
def test_thin_walls_apart_or_in_an_l_are_two(second):
    wall = box(0, 0, 20, 0.22)
    assert _same_buildings([wall, second], [False, False])[0] == {}


@pytest.mark.parametrize("other", [
    box(0, 0, 14, 30),                      # a lot wall around the house (yard 2+ m)
    box(12, 0, 24, 16.5),                   # the neighbour sharing a wall
    box(2, 2, 4, 4),                        # a stair well
    affinity.translate(HOUSE, 6.0, 0.0),    # half over it: two buildings overlapping
    box(-3, -3, 15, 19.5),                  # the house with a 3 m yard, 90 % ... inside
])
def test_not_the_same_building(other):
    assert _same_buildings([HOUSE, other], [False, False])[0] == {}


@pytest.mark.parametrize("dx, dy", [(0.9, 0.0), (1.0, 0.0), (0.7, 0.7)])
def test_a_tube_house_drawn_again_up_to_a_metre_off_is_one_building(dx, dy):
    """A 4 m wide tube house and its old outline (or its HATCH) moved 0.7-1 m: overlapping
    by 75-80 %, the same shape moved, one building (review 14x #2)."""
    moved = affinity.translate(TUBE, dx, dy)
    assert _same_buildings([TUBE, moved], [False, True])[0] == {1: 0}


@pytest.mark.parametrize("rear", [18.3, 18.5])
def test_a_house_sticking_out_of_its_lot_wall_is_not_the_lot_wall(rear):
    """A house 0.2 m inside its lot wall's sides, 1.5 m from its front, its rear wall 0.3 or
    0.5 m past the lot line (96-98 % inside): not one building with the lot wall (review
    14x #1), left to the nesting rules."""
    lot = box(0, 2, 20, 18)
    house = box(0.2, 3.5, 19.8, rear)
    assert _same_buildings([lot, house], [False, False])[0] == {}
    assert _same_buildings([house, lot], [False, False])[0] == {}


def test_a_terrace_and_its_old_survey_moved_are_one_building_per_house():
    terrace = [affinity.translate(TUBE, 4 * n, 0) for n in range(5)]
    old = [affinity.translate(house, 0.9, 0) for house in terrace]
    same = _same_buildings(terrace + old, [False] * 10)[0]
    assert sorted(same.items()) == [(5 + n, n) for n in range(5)]
