import numpy as np
import pytest

import ml
from ml import Evidence, MLError
from ml.taste import learn_taste, max_shift, next_pair


def test_saved_edits_teach_the_taste():
    taste = learn_taste(Evidence(edited=[{"temperature": 30, "exposure": 0.4}] * 5))
    assert 20 < taste["temperature"] <= 30 and 0.25 < taste["exposure"] <= 0.4
    assert abs(taste["saturation"]) < 1e-3


def test_one_rating_moves_nothing_beyond_its_bound():
    assert max_shift(Evidence(ratings=[({}, 1)])) == pytest.approx(0.1)
    taste = learn_taste(Evidence(ratings=[({"temperature": 100, "exposure": 2}, 1)]))
    assert taste["temperature"] <= 10.0 + 1e-6 and taste["exposure"] <= 0.2 + 1e-6


def test_a_dislike_of_the_look_as_it_is_changes_nothing():
    taste = learn_taste(Evidence(ratings=[({}, -1)]))
    assert all(abs(v) < 1e-6 for v in taste.values())


def test_ratings_alone_never_move_a_control_past_forty_percent():
    evidence = Evidence(ratings=[({"temperature": 100}, 1)] * 200)
    assert learn_taste(evidence)["temperature"] <= 40.0 + 1e-6


def test_quick_tune_answers_find_the_direction():
    evidence = Evidence()
    for _ in range(12):
        a, b = next_pair(evidence)
        assert a != b
        prefers_a = abs(a["temperature"] - 40) + abs(a["exposure"] + 0.5) < abs(
            b["temperature"] - 40
        ) + abs(b["exposure"] + 0.5)
        evidence.pairs.append((a, b, 0 if prefers_a else 1))
    taste = learn_taste(evidence)
    assert taste["temperature"] > 10 and taste["exposure"] < -0.1


@pytest.mark.parametrize(
    ("evidence", "message"),
    [
        (Evidence(), "nothing to learn from"),
        (Evidence(ratings=[({}, 2)]), "rating 0 must be"),
        (Evidence(ratings=[({}, True)]), "rating 0 must be"),
        (Evidence(edited=[{"exposure": 5}]), "edited result 0: edit 'exposure'"),
        (Evidence(pairs=[({}, {}, 3)]), "winner must be 0"),
    ],
)
def test_bad_evidence_is_a_caller_error(evidence, message):
    with pytest.raises(MLError, match=message):
        ml.train_adapter(evidence)


def test_adapter_round_trip_and_intensity(tmp_path, look, heldout):
    adapter = ml.train_adapter(Evidence(edited=[{"exposure": 1.0}] * 4), {"user": "7"})
    adapter.save(tmp_path / "a.safetensors")
    back = ml.Adapter.load(tmp_path / "a.safetensors")
    assert back.taste == adapter.taste and back.evidence == {"edits": 4, "ratings": 0, "pairs": 0}
    assert back.meta == {"user": "7"} and (tmp_path / "a.safetensors").stat().st_size < 64 * 1024
    photo = heldout[0]
    plain, half, full = (ml.stylize(photo, look, back, intensity=i) for i in (0.0, 0.5, 1.0))
    brightness = [np.asarray(im.convert("L"), float).mean() for im in (plain, half, full)]
    assert brightness[0] < brightness[1] < brightness[2]
    assert np.array_equal(np.asarray(plain), np.asarray(ml.stylize(photo, look)))
    with pytest.raises(MLError, match="intensity"):
        ml.stylize(photo, look, back, intensity=1.5)


def test_quick_tune_does_not_drift_when_the_look_is_already_right():
    evidence = Evidence()
    for _ in range(10):
        a, b = next_pair(evidence)
        distance = [sum(abs(v) / 100 for v in e.values()) for e in (a, b)]
        evidence.pairs.append((a, b, 0 if distance[0] <= distance[1] else 1))
    assert all(abs(v) < 1.0 for v in learn_taste(evidence).values())
