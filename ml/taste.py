"""A person's taste on top of a look, learnt from what they did in the app.

The taste is a point in the space of the edit controls (ml.edits): the edits this person
would make to the look. Three kinds of evidence place it:
- edited results: the edits they saved on a result (the strongest signal: they said exactly
  what they wanted);
- ratings: a like or dislike of a result rendered with known edits;
- quick-tune answers: which of two renderings, with known edits, they preferred.

The model is a Gaussian utility around the taste (a liked result lies near it, a disliked one
far from it, the preferred one of a pair nearer than the other), with a prior at "no change".
Its maximum a posteriori estimate is found by gradient descent in a fraction of a second.
Safety does not rest on the prior alone: each control's value is clamped to
max_shift(evidence) of its half-range, so one rating can move a control by at most 10 %
(e.g. 0.2 stops of exposure), and no amount of ratings alone beyond 40 %.
"""

from dataclasses import dataclass, field

import torch

from ml.artifacts import Adapter
from ml.edits import EDIT_RANGES, check_edits
from ml.errors import MLError

NAMES = tuple(EDIT_RANGES)
EDIT_WEIGHT = 3.0  # one saved edit counts as much as three ratings
SHIFT_LIMIT = 0.5  # the bound approaches half of each control's half-range
SHIFT_HALF_EVIDENCE = 4.0  # evidence weight at which the bound reaches half of SHIFT_LIMIT
RATINGS_ONLY_LIMIT = 0.4


@dataclass(frozen=True)
class TasteConfig:
    """The likelihood's shape and the optimiser of learn_taste."""

    edit_precision: float = 8.0  # how tightly a saved edit pins the taste
    rating_radius: float = 0.25  # normalised distance at which like and dislike are even
    sharpness: float = 12.0  # how decisive a rating is
    pair_firmness: float = 2000.0
    pair_margin: float = 0.002
    steps: int = 300
    lr: float = 0.05


@dataclass
class Evidence:
    """What a person did with one look. Edits are dicts accepted by ml.edits.check_edits."""

    edited: list[dict] = field(default_factory=list)
    ratings: list[tuple[dict, int]] = field(default_factory=list)
    pairs: list[tuple[dict, dict, int]] = field(default_factory=list)  # (a, b, 0 if a won)

    def counts(self) -> dict[str, int]:
        return {"edits": len(self.edited), "ratings": len(self.ratings), "pairs": len(self.pairs)}

    @property
    def weight(self) -> float:
        return EDIT_WEIGHT * len(self.edited) + len(self.ratings) + len(self.pairs)


def max_shift(evidence: Evidence) -> float:
    """Largest change of any control, as a fraction of its half-range, this evidence allows."""
    n = evidence.weight
    limit = SHIFT_LIMIT * n / (n + SHIFT_HALF_EVIDENCE)
    return limit if evidence.edited else min(limit, RATINGS_ONLY_LIMIT)


def _scales() -> torch.Tensor:
    return torch.tensor([max(abs(lo), abs(hi)) for lo, hi in EDIT_RANGES.values()])


def _vector(edits: dict, what: str) -> torch.Tensor:
    try:
        checked = check_edits(edits)
    except MLError as exc:
        raise MLError(f"{what}: {exc}") from None
    return torch.tensor([checked[n] for n in NAMES]) / _scales()


def _check_rating(value, what: str) -> int:
    if isinstance(value, bool) or value not in (1, -1):
        raise MLError(f"{what} must be +1 (like) or -1 (dislike), got {value!r}")
    return int(value)


def learn_taste(evidence: Evidence, cfg: TasteConfig = TasteConfig()) -> dict[str, float]:
    """The edits this person would make to the look, bounded by max_shift(evidence)."""
    if evidence.weight == 0:
        raise MLError("nothing to learn from yet: edit, rate or compare a few results first")
    edited = [_vector(e, f"edited result {i}") for i, e in enumerate(evidence.edited)]
    rated = [(_vector(e, f"rating {i}"), _check_rating(r, f"rating {i}"))
             for i, (e, r) in enumerate(evidence.ratings)]  # fmt: skip
    pairs = [(_vector(a, f"pair {i}"), _vector(b, f"pair {i}"), int(w))
             for i, (a, b, w) in enumerate(evidence.pairs)]  # fmt: skip
    if any(w not in (0, 1) for _, _, w in pairs):
        raise MLError("a pair's winner must be 0 (the first) or 1 (the second)")
    taste = torch.zeros(len(NAMES), requires_grad=True)
    opt = torch.optim.Adam([taste], lr=cfg.lr)
    for _ in range(cfg.steps):
        loss = taste.pow(2).sum() * 0.5  # the prior: no change
        for e in edited:
            loss = loss + cfg.edit_precision * (taste - e).pow(2).sum()
        for e, r in rated:
            margin = cfg.rating_radius**2 - (taste - e).pow(2).sum()
            loss = loss - torch.nn.functional.logsigmoid(r * cfg.sharpness * margin)
        for a, b, w in pairs:  # the taste is nearer the winner: a half-space, held firmly
            winner, loser = (a, b) if w == 0 else (b, a)
            gap = (taste - loser).pow(2).sum() - (taste - winner).pow(2).sum()
            loss = loss + cfg.pair_firmness * torch.relu(cfg.pair_margin - gap).pow(2)
        opt.zero_grad()
        loss.backward()
        opt.step()
    limit = max_shift(evidence)
    bounded = taste.detach().clamp(-limit, limit) * _scales()
    return {name: round(float(v), 4) for name, v in zip(NAMES, bounded, strict=True)}


# The four controls people move most come round twice (the second time at half the step)
# before tint and fade are asked about; then the whole cycle repeats at a quarter of the step.
MAIN_CONTROLS = ("temperature", "exposure", "saturation", "contrast")
QUICK_TUNE_SCHEDULE = (
    *((name, 1.0) for name in MAIN_CONTROLS),
    *((name, 0.5) for name in MAIN_CONTROLS),
    ("tint", 1.0),
    ("fade", 1.0),
)
QUICK_TUNE_STEP = 0.3  # normalised size of the first step along a control


def next_pair(evidence: Evidence) -> tuple[dict[str, float], dict[str, float]]:
    """The next quick-tune question: the current estimate against a step along one control,
    one control at a time. The step continues in the direction the last answer on that control
    moved to (or turns back if the estimate was preferred); QUICK_TUNE_SCHEDULE sizes it."""
    asked = len(evidence.pairs)
    name, scale_of_round = QUICK_TUNE_SCHEDULE[asked % len(QUICK_TUNE_SCHEDULE)]
    cycle = asked // len(QUICK_TUNE_SCHEDULE)
    centre = learn_taste(evidence) if evidence.weight else dict.fromkeys(NAMES, 0.0)
    direction = 1.0
    for a, b, winner in reversed(evidence.pairs):
        if a.get(name, 0.0) != b.get(name, 0.0):
            moved_up = b.get(name, 0.0) > a.get(name, 0.0)
            direction = (1.0 if moved_up else -1.0) * (1.0 if winner == 1 else -1.0)
            break
    scale = max(abs(v) for v in EDIT_RANGES[name])
    step = QUICK_TUNE_STEP * scale * scale_of_round / 4**cycle
    moved = dict(centre)
    moved[name] = centre[name] + direction * step
    return clamp_edits(centre), clamp_edits(moved)


def clamp_edits(edits: dict[str, float]) -> dict[str, float]:
    """Edits forced into their ranges (a taste added to a user's edits can leave them)."""
    return {n: min(hi, max(lo, float(edits.get(n, 0.0)))) for n, (lo, hi) in EDIT_RANGES.items()}


def combine(edits: dict[str, float], taste: dict[str, float], intensity: float) -> dict:
    """A user's own edits plus their taste at the given intensity (0..1)."""
    if isinstance(intensity, bool) or not 0.0 <= float(intensity) <= 1.0:
        raise MLError(f"intensity must be between 0 and 1, got {intensity!r}")
    checked = check_edits(edits)
    return clamp_edits({n: checked[n] + intensity * taste.get(n, 0.0) for n in NAMES})


def train_adapter(evidence: Evidence, meta: dict[str, str] | None = None) -> Adapter:
    """A personal adapter: the taste learnt from this evidence, with the evidence counted."""
    if not isinstance(evidence, Evidence):
        raise MLError(f"expected ml.Evidence, got {type(evidence).__name__}")
    return Adapter(learn_taste(evidence), evidence.counts(), dict(meta or {}))
