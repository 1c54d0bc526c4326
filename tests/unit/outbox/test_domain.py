"""Back-off and give-up rules of outbox delivery."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.outbox.domain import MAX_ATTEMPTS, gives_up, retry_delay


@pytest.mark.parametrize(
    ("attempts", "seconds"),
    [(1, 30), (2, 60), (3, 120), (4, 240), (5, 480), (6, 960), (7, 1920), (8, 3600), (30, 3600)],
)
def test_delay_doubles_from_thirty_seconds_up_to_an_hour(attempts, seconds):
    assert retry_delay(attempts, jitter=0.0) == timedelta(seconds=seconds)


def test_jitter_only_shortens_and_by_at_most_a_fifth():
    assert retry_delay(3, jitter=0.5) == timedelta(seconds=108)
    assert retry_delay(20, jitter=0.999) > timedelta(minutes=48)
    for _ in range(200):
        delay = retry_delay(2)
        assert timedelta(seconds=48) <= delay <= timedelta(seconds=60)


def test_attempts_start_at_one():
    with pytest.raises(ValueError):
        retry_delay(0)


def test_gives_up_after_eight_attempts():
    assert MAX_ATTEMPTS == 8
    assert not gives_up(7)
    assert gives_up(8)
