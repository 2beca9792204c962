"""The rules of a sandbox entry, as data: each documented (with its source) or inferred (why).

A rule looks at what a request gives (``Given``: how many items each input has, the video's
length, the source video, the image bytes the sandbox holds) and names what is wrong. The
sandbox refuses a body only for its entry's *documented* rules: an inferred rule is listed so
that the tests can prove the sandbox accepts a body breaking it (never stricter than the docs).

Every rule carries ``breaks``: changes to the entry's first sample that break it (see
``kling_nb.sandbox._entry``), which the rule tests apply by themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ._media import image_format, image_size
from ._wire import VideoInfo, WireError


@dataclass(frozen=True)
class Given:
    """What a request gives, as the rules see it."""

    counts: Mapping[str, int]
    """How many items each input has (a list's length, 1 for any other value; absent: 0)."""
    where: Callable[[str], str]
    """The JSON path of an input (``$.parameters.guidances.end_frame``, ``$.tail_image_url``)."""
    seconds: int = 0
    source: VideoInfo | None = None
    """The video a request edits or follows, when the sandbox knows it."""
    images: Mapping[str, bytes] = field(default_factory=dict)
    """The bytes of image inputs the sandbox holds (inline data, its own uploads)."""
    values: Mapping[str, object] = field(default_factory=dict)
    """The request's plain values by key (``effect_scene``, ``character_orientation``), for
    rules that depend on one."""
    clips: Mapping[str, tuple[int, str]] = field(default_factory=dict)
    """Size in bytes and format (``MP3``...) of the sound clips the sandbox holds."""

    def has(self, name: str) -> bool:
        """Whether the input is given."""
        return self.counts.get(name, 0) > 0


@dataclass(frozen=True, kw_only=True)
class WireRule:
    """A rule with its evidence: ``documented`` (the vendor page or schema stating it) or
    ``inferred`` (why we think so), and ``breaks`` (sample changes that break it)."""

    documented: str = ""
    inferred: str = ""
    breaks: Mapping[str, object] = field(default_factory=dict)
    """Changes to the entry's first sample (or the first with the same ``model``) that break
    the rule: dotted paths to values, None to remove a key."""
    message: str = ""
    """The API's own wording, where it differs from the rule's standard one."""

    def __post_init__(self) -> None:
        if bool(self.documented) == bool(self.inferred):
            msg = f"{type(self).__name__}: give either documented= (its source) or inferred="
            raise ValueError(msg)
        if not self.breaks:
            msg = f"{type(self).__name__}: give breaks= (sample changes that break the rule)"
            raise ValueError(msg)

    @property
    def subject(self) -> str:
        """The input the rule is about (its error names it)."""
        found = getattr(self, "field", None) or next(iter(getattr(self, "fields", ())), None)
        return str(found or "duration")

    @property
    def enforced(self) -> bool:
        """Whether the sandbox refuses a body that breaks the rule (documented rules only)."""
        return bool(self.documented)

    def broken(self, given: Given) -> WireError | None:
        """The error for a request breaking the rule, None when it keeps it."""
        raise NotImplementedError

    def _error(self, text: str, path: str) -> WireError:
        return WireError(self.message or text, path=path)


@dataclass(frozen=True, kw_only=True)
class Required(WireRule):
    """``field`` must be given."""

    field: str

    def broken(self, given: Given) -> WireError | None:
        if given.has(self.field):
            return None
        return self._error(f"expecting a value for non-nullable variable: {self.field}",
                           given.where(self.field))


@dataclass(frozen=True, kw_only=True)
class Needs(WireRule):
    """``field`` only together with ``other`` (an end frame needs a start frame)."""

    field: str
    other: str

    def broken(self, given: Given) -> WireError | None:
        if not given.has(self.field) or given.has(self.other):
            return None
        return self._error(f"{self.field} is only available when {self.other} is provided",
                           given.where(self.field))


@dataclass(frozen=True, kw_only=True)
class NeedsOff(WireRule):
    """``field`` only with the flag ``flag`` set to false (it is on when left out)."""

    field: str
    flag: str

    def broken(self, given: Given) -> WireError | None:
        if not given.has(self.field) or given.values.get(self.flag) is False:
            return None
        return self._error(f"{self.field} is not supported when {self.flag} is enabled: set "
                           f"{self.flag} to false", given.where(self.field))


@dataclass(frozen=True, kw_only=True)
class Excludes(WireRule):
    """``field`` not together with any of ``others``."""

    field: str
    others: tuple[str, ...]

    def broken(self, given: Given) -> WireError | None:
        if not given.has(self.field) or not any(given.has(o) for o in self.others):
            return None
        return self._error(f"{self.field} is not available together with "
                           f"{' or '.join(self.others)}", given.where(self.field))


@dataclass(frozen=True, kw_only=True)
class AtMost(WireRule):
    """At most ``limit`` items of ``fields`` in all (only while ``when`` is given, if set)."""

    fields: tuple[str, ...]
    limit: int
    when: str | None = None

    def broken(self, given: Given) -> WireError | None:
        if self.when is not None and not given.has(self.when):
            return None
        if sum(given.counts.get(name, 0) for name in self.fields) <= self.limit:
            return None
        what = (f"{self.fields[0]} takes" if len(self.fields) == 1
                else f"{', '.join(self.fields[:-1])} and {self.fields[-1]} take")
        extra = f" with a {self.when}" if self.when else ""
        return self._error(f"{what} at most {self.limit} items{extra}",
                           given.where(self.fields[0]))


@dataclass(frozen=True, kw_only=True)
class CountWhen(WireRule):
    """Exactly ``count`` items of ``field`` while ``key`` is one of ``values`` (the photos of
    an effect)."""

    field: str
    key: str
    values: tuple[str, ...]
    count: int

    def broken(self, given: Given) -> WireError | None:
        value = given.values.get(self.key)
        if value not in self.values or given.counts.get(self.field, 0) == self.count:
            return None
        return self._error(f"{self.field} must hold exactly {self.count} image"
                           f"{'s' * (self.count != 1)} for {self.key} {value}",
                           given.where(self.field))


@dataclass(frozen=True, kw_only=True)
class OneOf(WireRule):
    """Exactly one of ``fields`` (a prompt or a storyboard)."""

    fields: tuple[str, ...]

    def broken(self, given: Given) -> WireError | None:
        if sum(1 for name in self.fields if given.has(name)) == 1:
            return None
        return self._error(f"exactly one of {' and '.join(self.fields)} must be given",
                           given.where(self.fields[-1]))


@dataclass(frozen=True, kw_only=True)
class MaxSeconds(WireRule):
    """At most ``limit`` seconds of video while ``when`` is given (an edit)."""

    limit: int
    when: str

    def broken(self, given: Given) -> WireError | None:
        if not given.has(self.when) or given.seconds <= self.limit:
            return None
        return self._error(f"invalid duration {given.seconds}: at most {self.limit} seconds "
                           f"with a {self.when}", given.where("duration"))


@dataclass(frozen=True, kw_only=True)
class SourceVideo(WireRule):
    """The video in ``field`` is ``seconds`` long, at least ``min_side`` px, at most
    ``max_width`` px wide."""

    field: str
    seconds: tuple[int, int]
    min_side: int
    max_width: int

    def broken(self, given: Given) -> WireError | None:
        info = given.source
        if info is None or not given.has(self.field):
            return None
        low, high = self.seconds
        if low <= info.seconds <= high and min(info.width, info.height) >= self.min_side \
                and info.width <= self.max_width:
            return None
        path = given.where(self.field)
        return self._error(f"{path.rsplit('.', 1)[-1]}: the reference video must be "
                           f"{low}-{high} s long, at least {self.min_side} px and at most "
                           f"{self.max_width} px wide", path)


@dataclass(frozen=True, kw_only=True)
class SourceLength(WireRule):
    """The video in ``field`` is at most ``limits[v]`` seconds long, where ``v`` is the value
    of ``choice`` (``default`` when absent): a motion reference per character orientation."""

    field: str
    choice: str
    limits: Mapping[str, int]
    default: str

    def broken(self, given: Given) -> WireError | None:
        info = given.source
        if info is None or not given.has(self.field):
            return None
        chosen = str(given.values.get(self.choice) or self.default)
        limit = self.limits.get(chosen)
        if limit is None or info.seconds <= limit:
            return None
        return self._error(f"{self.field} must be at most {limit} seconds long with "
                           f"{self.choice} {chosen}", given.where(self.field))


@dataclass(frozen=True, kw_only=True)
class AudioLimits(WireRule):
    """The sound clip in ``field`` (where the sandbox holds its bytes) is of ``formats`` and
    at most ``max_bytes``."""

    field: str
    formats: tuple[str, ...]
    max_bytes: int

    def broken(self, given: Given) -> WireError | None:
        found = given.clips.get(self.field)
        if found is None:
            return None
        size, kind = found
        if kind in self.formats and size <= self.max_bytes:
            return None
        return self._error(f"{self.field} must be a {', '.join(self.formats)} file of at most "
                           f"{self.max_bytes // 2**20} MB", given.where(self.field))


@dataclass(frozen=True, kw_only=True)
class ImageLimits(WireRule):
    """The image in ``field`` (where the sandbox holds its bytes): its format, size, shortest
    side and aspect ratio."""

    field: str
    formats: tuple[str, ...]
    max_bytes: int
    min_side: int
    max_ratio: float

    def broken(self, given: Given) -> WireError | None:
        data = given.images.get(self.field)
        if data is None:
            return None
        path = given.where(self.field)
        name = path.rsplit(".", 1)[-1]
        if image_format(data) not in self.formats or len(data) > self.max_bytes:
            kinds = " or ".join("JPG" if f == "JPEG" else f for f in self.formats)
            return self._error(f"{name} must be a {kinds} image of at most "
                               f"{self.max_bytes // 2**20} MB", path)
        width, height = image_size(data)
        if min(width, height) < self.min_side:
            return self._error(f"{name} must be at least {self.min_side} px on each side", path)
        if max(width, height) / min(width, height) > self.max_ratio:
            return self._error(f"{name} must have an aspect ratio between 1:{self.max_ratio:g} "
                               f"and {self.max_ratio:g}:1", path)
        return None


def first_broken(rules: tuple[WireRule, ...], given: Given) -> WireError | None:
    """The error of the first documented rule the request breaks (inferred rules pass)."""
    for rule in rules:
        if rule.enforced:
            error = rule.broken(given)
            if error is not None:
                return error
    return None


def counts(values: Mapping[str, object]) -> dict[str, int]:
    """How many items each given value has (None and empty lists are not given)."""
    found = {}
    for name, value in values.items():
        if value is None:
            continue
        found[name] = len(value) if isinstance(value, list) else 1
    return found
