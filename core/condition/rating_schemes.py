"""Bridge and culvert condition: component rating schemes, element states and load posting.

A rating scheme is a data file (``core/data/rating_schemes/<id>.toml``: ``nbi`` = US NBI
0-9, ``vn5`` = Vietnamese five grades) listing the allowed values with labels, the
components, which components make the overall condition of a bridge or a culvert, the
good/fair/poor classes and the deficiency flag. Element condition states follow the AASHTO
MBEI (quantities in states 1-4). Load posting compares the operating rating with the legal
load of the profile's ``[bridges]`` section.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Mapping, Sequence

from ..datafiles import DATA_DIR, data_file
from ..errors import RoadInfraError
from ..io.tomlfile import read_toml, toml_entry
from ..profile import Profile, load_profile

SCHEMES_DIR = DATA_DIR / "rating_schemes"
STRUCTURE_KINDS = ("bridge", "culvert")


class RatingError(RoadInfraError):
    """A rating, component or scheme that does not exist or is outside the scheme."""


@dataclass(frozen=True)
class Component:
    code: str
    name_en: str
    name_vi: str
    structures: tuple[str, ...]
    item: str | None = None  # NBI item number


@dataclass(frozen=True)
class InspectionRating:
    """Overall condition of one inspection derived from its component ratings."""

    overall: int | None
    overall_label_en: str | None
    overall_label_vi: str | None
    condition_class: str | None  # "good", "fair", "poor"
    deficient: bool | None
    governing: tuple[str, ...]  # components with the overall (worst) rating

    def as_dict(self) -> dict:
        return {"overall": self.overall, "label_en": self.overall_label_en,
                "label_vi": self.overall_label_vi, "condition_class": self.condition_class,
                "deficient": self.deficient, "governing": list(self.governing)}


@dataclass(frozen=True)
class RatingScheme:
    id: str
    name_en: str
    name_vi: str
    source: str
    status: str
    higher_is_better: bool
    not_applicable: tuple[str, ...]
    labels: Mapping[int, tuple[str, str]]  # value -> (en, vi)
    components: Mapping[str, Component]
    overall_components: Mapping[str, tuple[str, ...]]
    classes: Mapping[str, int]
    deficiency: Mapping[str, int]

    def parse(self, component: str, raw: object) -> int | None:
        """Check one rating; None for a not-applicable code. Raises RatingError."""
        if component not in self.components:
            raise RatingError(f"component {component!r} is not in scheme {self.id!r} "
                              f"({', '.join(self.components)})")
        text = str(raw).strip() if raw is not None else ""
        if text == "" or text.upper() in self.not_applicable:
            return None
        try:
            number = float(text)
        except ValueError:
            number = math.nan
        if not math.isfinite(number) or number != int(number) or int(number) not in self.labels:
            allowed = f"{min(self.labels)}-{max(self.labels)}"
            na = "/".join(self.not_applicable)
            raise RatingError(f"rating {text!r} is outside scheme {self.id!r} ({allowed} or {na})")
        return int(number)

    def worse(self, a: int, b: int) -> bool:
        """True when rating a is worse than b."""
        return a < b if self.higher_is_better else a > b

    def label(self, value: int, lang: str = "en") -> str:
        return self.labels[value][0 if lang == "en" else 1]

    def condition_class(self, overall: int) -> str:
        if self.higher_is_better:
            if overall >= self.classes["good_from"]:
                return "good"
            return "fair" if overall >= self.classes["fair_from"] else "poor"
        if overall <= self.classes["good_to"]:
            return "good"
        return "fair" if overall <= self.classes["fair_to"] else "poor"

    def is_deficient(self, overall: int) -> bool:
        if "at_most" in self.deficiency:
            return overall <= self.deficiency["at_most"]
        return overall >= self.deficiency["at_least"]

    def rate(self, ratings: Mapping[str, object], structure: str = "bridge") -> InspectionRating:
        """Overall rating = worst of the structure's overall components that are rated."""
        if structure not in self.overall_components:
            raise RatingError(f"structure kind {structure!r} is not one of {STRUCTURE_KINDS}")
        parsed = {c: self.parse(c, v) for c, v in ratings.items()}
        rated = {c: parsed[c] for c in self.overall_components[structure]
                 if parsed.get(c) is not None}
        if not rated:
            return InspectionRating(None, None, None, None, None, ())
        worst = None
        for value in rated.values():
            if worst is None or self.worse(value, worst):
                worst = value
        governing = tuple(c for c, v in rated.items() if v == worst)
        return InspectionRating(worst, self.label(worst, "en"), self.label(worst, "vi"),
                                self.condition_class(worst), self.is_deficient(worst), governing)


def scheme_path(name_or_path: str | Path) -> Path:
    return data_file(name_or_path, SCHEMES_DIR)


@lru_cache(maxsize=8)
def load_scheme(name_or_path: str | Path) -> RatingScheme:
    """Load a rating scheme by id (``nbi``, ``vn5``) or TOML path."""
    path = scheme_path(name_or_path)
    doc = read_toml(path, RatingError, "rating scheme")
    for key in ("scheme", "overall", "classes", "deficiency"):
        toml_entry(doc, key, "table", path, RatingError)
    try:
        return _scheme(path, doc)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise RatingError(f"{path}: not a rating scheme: a missing or malformed entry "
                          f"({type(exc).__name__}: {exc})") from None


def _scheme(path: Path, doc: dict) -> RatingScheme:
    head = doc["scheme"]
    components = {
        c["code"]: Component(c["code"], c["name_en"], c["name_vi"], tuple(c["structures"]),
                             c.get("item"))
        for c in doc["components"]
    }
    overall = {kind: tuple(doc["overall"][kind]) for kind in STRUCTURE_KINDS}
    for kind, codes in overall.items():
        for code in codes:
            if code not in components:
                raise RatingError(f"{path}: [overall] {kind} names unknown component {code!r}")
    return RatingScheme(
        id=head["id"], name_en=head["name_en"], name_vi=head["name_vi"], source=head["source"],
        status=head["status"], higher_is_better=bool(head["higher_is_better"]),
        not_applicable=tuple(s.upper() for s in head.get("not_applicable", [])),
        labels={int(v["value"]): (v["en"], v["vi"]) for v in head["values"]},
        components=components, overall_components=overall, classes=dict(doc["classes"]),
        deficiency=dict(doc["deficiency"]),
    )


# ------------------------------------------------------------- element condition states
@dataclass(frozen=True)
class ElementCondition:
    """An element's quantity split over condition states 1-4, in percent, and its health index."""

    total: float
    percent: tuple[float, float, float, float]
    health_index: float


@lru_cache(maxsize=1)
def _state_weights() -> tuple[float, ...]:
    doc = read_toml(SCHEMES_DIR / "element_states.toml", RatingError, "element states")
    return tuple(float(w) for w in doc["states"]["weights"])


def element_condition(quantities: Sequence[float | None]) -> ElementCondition:
    """Percent per condition state and health index (0-100) from quantities in CS1..CS4."""
    if len(quantities) != 4:
        raise RatingError(f"expected quantities in 4 condition states, got {len(quantities)}")
    qty = [0.0 if q is None else float(q) for q in quantities]
    for state, q in enumerate(qty, start=1):
        if math.isnan(q) or q < 0:
            raise RatingError(f"quantity in condition state {state} must be >= 0, not {q!r}")
    total = sum(qty)
    if total == 0:
        raise RatingError("element has no quantity in any condition state")
    weights = _state_weights()
    percent = tuple(100.0 * q / total for q in qty)
    index = 100.0 * sum(q * w for q, w in zip(qty, weights)) / total
    return ElementCondition(total, percent, index)  # type: ignore[arg-type]


# ------------------------------------------------------------------------- load posting
@dataclass(frozen=True)
class LoadPosting:
    """Posting recommendation from the operating rating (gross tonnes)."""

    action: str  # "none", "post" or "close"
    posting_t: float | None
    percent_below_legal: float
    nbi_item70: int  # FHWA Coding Guide item 70 code for this operating rating

    def as_dict(self) -> dict:
        return {"action": self.action, "posting_t": self.posting_t,
                "percent_below_legal": round(self.percent_below_legal, 1),
                "nbi_item70": self.nbi_item70}


def load_posting(operating_t: float, inventory_t: float | None = None,
                 profile: Profile | None = None) -> LoadPosting:
    """Recommend no posting, a posted gross limit, or closure.

    Legal load and minimum open load come from the profile's ``[bridges]``
    (``posting_legal_load_t``, ``posting_min_open_t``). Below the legal load the bridge is
    posted at the operating rating rounded down to whole tonnes; below the minimum it is
    closed. ``nbi_item70`` codes the shortfall as FHWA item 70 does (5: at or above legal
    load; 4: 0.1-9.9 % below; 3: 10-19.9 %; 2: 20-29.9 %; 1: 30-39.9 %; 0: more than 39.9 %).
    """
    section = (profile or load_profile()).section("bridges")
    legal = float(section["posting_legal_load_t"])
    min_open = float(section["posting_min_open_t"])
    if operating_t is None or not math.isfinite(operating_t) or operating_t < 0:
        raise RatingError(f"operating rating {operating_t!r} t is not a non-negative number")
    if inventory_t is not None and (not math.isfinite(inventory_t) or inventory_t < 0):
        raise RatingError(f"inventory rating {inventory_t!r} t is not a non-negative number")
    if inventory_t is not None and inventory_t > operating_t:
        raise RatingError(f"inventory rating {inventory_t} t exceeds operating rating "
                          f"{operating_t} t")
    below = max(0.0, 100.0 * (legal - operating_t) / legal)
    below_tenth = math.floor(below * 10 + 1e-9) / 10  # item 70 bands use one decimal
    item70 = 5 if below_tenth <= 0 else 4 if below_tenth < 10 else 3 if below_tenth < 20 \
        else 2 if below_tenth < 30 else 1 if below_tenth < 40 else 0
    if operating_t >= legal:
        return LoadPosting("none", None, below, item70)
    if operating_t < min_open:
        return LoadPosting("close", None, below, item70)
    return LoadPosting("post", float(math.floor(operating_t)), below, item70)
