"""How strongly a look is applied: 0 leaves a photo unchanged, 1 is the look, up to 1.5 more.

Stored and sent over the API as a fraction; people see and type it as a percentage.
"""

import math

from django import forms
from django.utils.translation import gettext as _

from core.errors import ServiceError

MAX_STRENGTH = 1.5


def check_strength(strength) -> None:
    """Raise ServiceError unless `strength` is a finite number in [0, MAX_STRENGTH]."""
    valid = isinstance(strength, int | float) and not isinstance(strength, bool)
    if not valid or not math.isfinite(strength) or not 0 <= strength <= MAX_STRENGTH:
        message = _("Strength must be a number from 0 to %(max)s.") % {"max": MAX_STRENGTH}
        raise ServiceError(message, fields={"strength": [message]})


def as_percent(strength: float) -> int:
    return round(strength * 100)


def percent_in_range(value: str | None, default: float) -> int:
    """A percentage from a query string, clamped to the range; `default` where it is no number."""
    try:
        percent = int(value) if value is not None else as_percent(default)
    except ValueError:
        percent = as_percent(default)
    return max(0, min(as_percent(MAX_STRENGTH), percent))


class StrengthPercentField(forms.IntegerField):
    """A strength typed as a whole percentage (0 to MAX_STRENGTH as a percentage), cleaned to a
    fraction."""

    def __init__(self, **kwargs):
        super().__init__(min_value=0, max_value=as_percent(MAX_STRENGTH), **kwargs)

    def prepare_value(self, value):
        return as_percent(value) if isinstance(value, float) else value

    def clean(self, value):
        percent = super().clean(value)
        return None if percent is None else percent / 100
