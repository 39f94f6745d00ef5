"""A person's taste on the platform side: edit controls, the evidence a taste is learnt from,
and the one-line description of a learnt taste.

The edit controls and their ranges are ml.edits' (that module imports no torch, so the web tier
validates with the very ranges the worker applies). The taste itself is learnt on a worker by
ml.train_adapter from `evidence_for(owner, look)`.
"""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import ServiceError
from generation.models import QuickTuneQuestion, Rating, Result
from ml.edits import EDIT_RANGES
from ml.edits import check_edits as ml_check_edits
from ml.errors import MLError

# An adapter is used (and offered) once the evidence it learnt from weighs this much: one saved
# edit (weight 3 in ml.taste), or three ratings or quick-tune answers. Below it, ml.taste's
# bound would allow at most 21 % of a control's half-range, and one rating alone 10 %.
MIN_EVIDENCE_WEIGHT = 3.0
EVIDENCE_SHOWN = 50  # newest pieces of each kind that training looks at

CONTROL_NAMES = {
    "exposure": gettext_lazy("Exposure"),
    "temperature": gettext_lazy("Temperature"),
    "tint": gettext_lazy("Tint"),
    "contrast": gettext_lazy("Contrast"),
    "saturation": gettext_lazy("Saturation"),
    "fade": gettext_lazy("Fade"),
}


def check_edits(edits) -> dict[str, float]:
    """Edits with every control present (missing ones are 0); a 400 naming the control."""
    try:
        return ml_check_edits(edits)
    except MLError:
        message = _edit_error(edits)
        raise ServiceError(message, code="invalid_edits", fields={"edits": [message]}) from None


def _edit_error(edits) -> str:
    if not isinstance(edits, dict):
        return _('Edits must be an object such as {"exposure": 0.5}.')
    unknown = sorted(set(edits) - set(EDIT_RANGES))
    if unknown:
        return _("Unknown edit control “%(name)s”; use %(names)s.") % {
            "name": unknown[0],
            "names": ", ".join(EDIT_RANGES),
        }
    for name, (low, high) in EDIT_RANGES.items():
        try:
            ml_check_edits({name: edits.get(name, 0.0)})
        except MLError:
            return _("%(control)s (%(name)s) must be a number from %(low)g to %(high)g.") % {
                "control": CONTROL_NAMES[name],
                "name": name,
                "low": low,
                "high": high,
            }
    return _("Invalid edits.")


def edit_controls(values: dict | None = None) -> list[dict]:
    """The sliders of the edit controls, for templates: name, label, range, step and value."""
    values = values or {}
    return [
        {
            "name": name,
            "label": CONTROL_NAMES[name],
            "min": low,
            "max": high,
            "step": 0.05 if name == "exposure" else 1,
            "value": values.get(name, 0.0),
        }
        for name, (low, high) in EDIT_RANGES.items()
    ]


# --- evidence ----------------------------------------------------------------------------------


@dataclass
class Evidence:
    """What a person did with one look, as plain data for ml.Evidence."""

    edited: list[dict] = field(default_factory=list)
    ratings: list[tuple[dict, int]] = field(default_factory=list)
    pairs: list[tuple[dict, dict, int]] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {"edits": len(self.edited), "ratings": len(self.ratings), "pairs": len(self.pairs)}

    def is_empty(self) -> bool:
        return not (self.edited or self.ratings or self.pairs)


def evidence_for(owner, look) -> Evidence:
    """The owner's saved edits (the last of each chain of edits), rated or favourite results
    (a favourite without a rating counts as a like) with the edits they were rendered with, and
    answered quick-tune questions of this look; the newest EVIDENCE_SHOWN of each."""
    results = Result.objects.filter(owner=owner, look=look).order_by("-created")
    edited = results.filter(edited_from__isnull=False, edits_made__isnull=True)
    rated = results.filter(~Q(rating=Rating.NONE) | Q(favourite=True))
    answered = QuickTuneQuestion.objects.filter(
        owner=owner, look=look, winner__isnull=False
    ).order_by("-answered_at")
    return Evidence(
        edited=[r.edits for r in edited.only("edits")[:EVIDENCE_SHOWN]],
        ratings=[
            (r.applied_edits, r.rating or Rating.LIKE)
            for r in rated.only("applied_edits", "rating")[:EVIDENCE_SHOWN]
        ],
        pairs=[(q.a, q.b, q.winner) for q in answered[:EVIDENCE_SHOWN]],
    )


def evidence_weight(evidence: dict) -> float:
    """The weight an adapter recorded for its evidence (0 for adapters from before tastes)."""
    return float(evidence.get("weight", 0.0))


# --- describing a taste ------------------------------------------------------------------------

# (a little, clearly, much more) per control and direction, as fractions of the half-range.
SUMMARY_STEPS = (0.05, 0.15, 0.35)
SUMMARY_WORDS = {
    ("exposure", 1): (gettext_lazy("a little brighter"), gettext_lazy("brighter"),
                      gettext_lazy("much brighter")),
    ("exposure", -1): (gettext_lazy("a little darker"), gettext_lazy("darker"),
                       gettext_lazy("much darker")),
    ("temperature", 1): (gettext_lazy("a little warmer"), gettext_lazy("warmer"),
                         gettext_lazy("much warmer")),
    ("temperature", -1): (gettext_lazy("a little cooler"), gettext_lazy("cooler"),
                          gettext_lazy("much cooler")),
    ("tint", 1): (gettext_lazy("a little more magenta"), gettext_lazy("more magenta"),
                  gettext_lazy("much more magenta")),
    ("tint", -1): (gettext_lazy("a little greener"), gettext_lazy("greener"),
                   gettext_lazy("much greener")),
    ("contrast", 1): (gettext_lazy("a little more contrast"), gettext_lazy("more contrast"),
                      gettext_lazy("much more contrast")),
    ("contrast", -1): (gettext_lazy("a little softer"), gettext_lazy("softer"),
                       gettext_lazy("much softer")),
    ("saturation", 1): (gettext_lazy("a little more saturated"), gettext_lazy("more saturated"),
                        gettext_lazy("much more saturated")),
    ("saturation", -1): (gettext_lazy("a little less saturated"), gettext_lazy("less saturated"),
                         gettext_lazy("much less saturated")),
    ("fade", 1): (gettext_lazy("a little more faded"), gettext_lazy("more faded"),
                  gettext_lazy("much more faded")),
}  # fmt: skip
SUMMARY_MOST = 3


def summary(taste: dict) -> str:
    """One line saying what a taste changes, the largest changes first: "Warmer, a little
    brighter, less saturated than the look"."""
    changes = []
    for name, value in taste.items():
        if name not in EDIT_RANGES or not value:
            continue
        share = abs(value) / max(abs(bound) for bound in EDIT_RANGES[name])
        steps = sum(share >= step for step in SUMMARY_STEPS)
        if steps:
            words = SUMMARY_WORDS[(name, 1 if value > 0 else -1)][steps - 1]
            changes.append((share, str(words)))
    if not changes:
        return _("The same as the look: nothing learnt to change yet.")
    changes.sort(reverse=True)
    listed = _(", ").join(words for _share, words in changes[:SUMMARY_MOST])
    line = _("%(changes)s than the look") % {"changes": listed}
    return line[:1].upper() + line[1:]
