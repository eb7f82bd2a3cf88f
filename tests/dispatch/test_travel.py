import pytest

from dispatch import HaversineTravel, TravelMatrix, eta
from dispatch.travel import TravelTable

PARIS = (48.8566, 2.3522)
LONDON = (51.5074, -0.1278)


def test_haversine_paris_london_at_ten_metres_a_second():
    model = HaversineTravel(speed_kmh=36, road_factor=1.0)
    assert eta(model, PARIS, LONDON) == pytest.approx(34_355, rel=2e-3)


def test_road_factor_stretches_the_trip():
    straight = eta(HaversineTravel(road_factor=1.0), PARIS, LONDON)
    assert eta(HaversineTravel(road_factor=1.3), PARIS, LONDON) == pytest.approx(1.3 * straight)


def test_haversine_rejects_points_off_the_globe():
    with pytest.raises(ValueError, match="latitude"):
        HaversineTravel().matrix([(91.0, 0.0)])


def test_matrix_answers_for_a_subset_of_rows():
    model = TravelMatrix(((0, 1, 2), (3, 0, 4), (5, 6, 0)))
    assert model.matrix([2, 0]) == [[0, 5], [2, 0]]


def test_matrix_rejects_unknown_locations():
    with pytest.raises(ValueError, match="row"):
        TravelMatrix(((0,),)).matrix([1])


def test_table_asks_once_for_distinct_locations():
    table = TravelTable.of(TravelMatrix(((0, 7), (9, 0))), [0, 1, 0, 1])
    assert len(table.index) == 2
    assert table.between(1, 0) == 9
