"""Every closed set of values in the catalogue, once, with its labels.

Each set is a ``StrEnum`` (the stored value is the member's value); ``label`` is what people
read, through gettext (msgids in English, Vietnamese in the catalogue). Models enforce the values
with CHECK constraints (``check(...)``), the record schema validates against the enums, and
templates, forms, the diff and CSV read labels from here. No other module lists these values.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint

_LABELS: dict[type, dict[str, object]] = {}
_EXTRA: dict[tuple[type, str], dict[str, object]] = {}


class Vocab(StrEnum):
    """A closed set whose members carry translated labels (and optional extra texts)."""

    @property
    def label(self) -> str:
        return str(_LABELS[type(self)][self.value])

    @classmethod
    def values(cls) -> tuple[str, ...]:
        return tuple(member.value for member in cls)

    @classmethod
    def labels(cls) -> dict[str, object]:
        """value → lazy label, in definition order (for templates and select lists)."""
        return dict(_LABELS[cls])

    @classmethod
    def extra(cls, name: str) -> dict[str, object]:
        """value → another text about each member (an explanation, a noun …)."""
        return dict(_EXTRA.get((cls, name), {}))


def _labelled(cls: type[Vocab], labels: dict[str, object], **extra: dict) -> None:
    if set(labels) != set(cls.values()):
        raise RuntimeError(f"{cls.__name__}: labels do not match the values")
    _LABELS[cls] = {value: labels[value] for value in cls.values()}
    for name, texts in extra.items():
        _EXTRA[(cls, name)] = texts


def check(column: str, vocab: Any, name: str, nullable: bool = False,
          blank: bool = False) -> CheckConstraint:
    """A CHECK constraint that keeps ``column`` within ``vocab`` (the migration uses it too);
    ``nullable``/``blank`` also allow NULL / the empty string ("not known")."""
    values = [*vocab.values(), ""] if blank else vocab.values()
    listed = ", ".join(str(v) if isinstance(v, int) else f"'{v}'" for v in values)
    condition = f"{column} IN ({listed})"
    if nullable:
        condition = f"{column} IS NULL OR {condition}"
    return CheckConstraint(condition, name=name)


class OnlineClass(Vocab):
    """Mức độ dịch vụ công trực tuyến."""

    FULL = "full"
    PARTIAL = "partial"
    NONE = "none"


_labelled(
    OnlineClass,
    {"full": _l("Fully online"), "partial": _l("Partly online"), "none": _l("Not online")},
    explained={
        "full": _l("You can do everything online: apply, pay and get the result online or by "
                   "post."),
        "partial": _l("You can apply online, but you still need to come in, for example to pay, "
                      "show original documents or collect the result."),
        "none": _l("This cannot be done online. Apply at the counter."),
    },
)


class Status(Vocab):
    """Tình trạng hiệu lực of a procedure."""

    IN_FORCE = "in_force"
    NOT_IN_FORCE = "not_in_force"
    REPLACED = "replaced"


_labelled(Status, {"in_force": _l("In force"), "not_in_force": _l("No longer in force"),
                   "replaced": _l("Replaced by another procedure")})


class ChannelKind(Vocab):
    """Cách thức thực hiện."""

    IN_PERSON = "in_person"
    ONLINE = "online"
    POST = "post"


_labelled(ChannelKind, {"in_person": _l("In person"), "online": _l("Online"),
                        "post": _l("By post")})


class AgencyRole(Vocab):
    """Cơ quan thực hiện / có thẩm quyền / được ủy quyền / phối hợp."""

    PERFORMING = "performing"
    COMPETENT = "competent"
    DELEGATED = "delegated"
    COORDINATING = "coordinating"


_labelled(AgencyRole, {"performing": _l("Handles the procedure"), "competent": _l("Decides"),
                       "delegated": _l("Delegated to decide"), "coordinating": _l("Works with")})


class FeeKind(Vocab):
    """Phí or lệ phí."""

    PHI = "phi"
    LE_PHI = "le_phi"
    OTHER = "other"


_labelled(FeeKind, {"phi": _l("Charge (phí)"), "le_phi": _l("Fee (lệ phí)"),
                    "other": _l("Other charge")})


class FeeUnit(Vocab):
    """What a fee is charged per; ``noun`` is the thing counted ("from page 3 on")."""

    CASE = "case"
    PAGE = "page"
    COPY = "copy"
    CONTRACT = "contract"
    DOCUMENT = "document"
    CARD = "card"
    PERMIT = "permit"
    TIME = "time"
    SET = "set"
    PERSON = "person"


_labelled(
    FeeUnit,
    {"case": _l("per case"), "page": _l("per page"), "copy": _l("per copy"),
     "contract": _l("per contract"), "document": _l("per document"), "card": _l("per card"),
     "permit": _l("per permit"), "time": _l("per time"), "set": _l("per set"),
     "person": _l("per person")},
    noun={"case": _l("case"), "page": _l("page"), "copy": _l("copy"),
          "contract": _l("contract"), "document": _l("document"), "card": _l("card"),
          "permit": _l("permit"), "time": _l("time"), "set": _l("set"), "person": _l("person")},
    count_label={"page": _l("Number of pages"), "copy": _l("Number of copies"),
                 "document": _l("Number of documents"), "set": _l("Number of sets")},
)
# Units whose count a person can type into the fee calculator.
COUNTABLE_UNITS = (FeeUnit.PAGE, FeeUnit.COPY, FeeUnit.DOCUMENT, FeeUnit.SET)


class LegacyLevel(Vocab):
    """Mức độ 1–4 under Decree 43/2011 (stored as an integer; the values are its text)."""

    ONE = "1"
    TWO = "2"
    THREE = "3"
    FOUR = "4"


_labelled(
    LegacyLevel, {"1": "1", "2": "2", "3": "3", "4": "4"},
    explained={
        "1": _l("Level 1: information only."),
        "2": _l("Level 2: forms can be downloaded; you apply in person or by post."),
        "3": _l("Level 3: you apply online; you pay and collect the result at the office."),
        "4": _l("Level 4: everything online, including payment; the result comes online or by "
                "post."),
    },
)
LEGACY_LEVELS = tuple(int(v) for v in LegacyLevel.values())


class RevisionState(Vocab):
    """Where a saved revision stands in the editorial workflow."""

    DRAFT = "draft"
    IN_REVIEW = "in_review"
    PUBLISHED = "published"
    SCHEDULED = "scheduled"  # published to take effect on a date (app.schedule)


_labelled(RevisionState, {"draft": _l("Draft"), "in_review": _l("In review"),
                          "published": _l("Published"), "scheduled": _l("Scheduled")})


class DocumentStatus(Vocab):
    """Tình trạng hiệu lực of a legal document in the register (``app.models.legal``)."""

    IN_FORCE = "in_force"
    NOT_YET_IN_FORCE = "not_yet_in_force"
    EXPIRED = "expired"
    REPLACED = "replaced"


_labelled(DocumentStatus, {"in_force": _l("In force"), "not_yet_in_force": _l("Not yet in force"),
                           "expired": _l("No longer in force"), "replaced": _l("Replaced")})


class Role(Vocab):
    """An editor account's role; each role can do everything the ones before it can."""

    EDITOR = "editor"
    PUBLISHER = "publisher"
    ADMIN = "admin"

    def includes(self, other: str) -> bool:
        """True when this role is ``other`` or above it."""
        order = Role.values()
        return order.index(self.value) >= order.index(Role(other).value)


_labelled(Role, {"editor": _l("Editor"), "publisher": _l("Publisher"),
                 "admin": _l("Administrator")})
# A revision in one of these states is a working draft (not yet, or no longer, the live one).
PENDING_STATES = (RevisionState.DRAFT, RevisionState.IN_REVIEW)


class DocumentKind(Vocab):
    """Loại văn bản of an entry in the legal register: the kinds of legal document the law on
    legal documents lists. The values are the Vietnamese words, which are part of the
    document's name ("Thông tư 64/2025/TT-BTC"); the labels translate them. An entry whose
    kind is not known stores "" (the CHECK allows it)."""

    HIEN_PHAP = "Hiến pháp"
    BO_LUAT = "Bộ luật"
    LUAT = "Luật"
    PHAP_LENH = "Pháp lệnh"
    LENH = "Lệnh"
    NGHI_QUYET = "Nghị quyết"
    NGHI_QUYET_LIEN_TICH = "Nghị quyết liên tịch"
    NGHI_DINH = "Nghị định"
    QUYET_DINH = "Quyết định"
    THONG_TU = "Thông tư"
    THONG_TU_LIEN_TICH = "Thông tư liên tịch"
    CHI_THI = "Chỉ thị"


_labelled(DocumentKind, {
    "Hiến pháp": _l("Constitution"), "Bộ luật": _l("Legal code"), "Luật": _l("Law"),
    "Pháp lệnh": _l("Ordinance"), "Lệnh": _l("Order"), "Nghị quyết": _l("Resolution"),
    "Nghị quyết liên tịch": _l("Joint resolution"), "Nghị định": _l("Decree"),
    "Quyết định": _l("Decision"), "Thông tư": _l("Circular"),
    "Thông tư liên tịch": _l("Joint circular"), "Chỉ thị": _l("Directive")})
# Statuses under which a citation is no longer good law.
NOT_IN_FORCE = frozenset({DocumentStatus.EXPIRED, DocumentStatus.REPLACED})


class RatingAnswer(Vocab):
    """The counter tablet's three answers, best first (``app.models.quality.Rating``)."""

    VERY_SATISFIED = "very_satisfied"
    SATISFIED = "satisfied"
    DISSATISFIED = "dissatisfied"


_labelled(RatingAnswer, {"very_satisfied": _l("Very satisfied"), "satisfied": _l("Satisfied"),
                         "dissatisfied": _l("Not satisfied")})
# "Satisfied" in the published figures means either of the first two answers.
SATISFIED_ANSWERS = (RatingAnswer.VERY_SATISFIED, RatingAnswer.SATISFIED)


class CodeKind(Vocab):
    """Whether a procedure's code is the national one or a local/demo stand-in (published by
    the API; a local code is never shown as a national code)."""

    NATIONAL = "national"
    LOCAL = "local"


_labelled(CodeKind, {"national": _l("National code"), "local": _l("Local code")})


class FeedbackKind(Vocab):
    """What a citizen's feedback on a procedure page is (``app.models.Feedback``)."""

    USEFUL = "useful"
    REPORT = "report"


_labelled(FeedbackKind, {"useful": _l("Was this page useful?"),
                         "report": _l("Report wrong information")})


class ServicePointKind(Vocab):
    """What a place to apply or get help is (``app.models.service_points.ServicePoint``)."""

    CENTRE = "centre"
    RECEPTION = "reception"
    ONLINE_SUPPORT = "online_support"


_labelled(ServicePointKind, {
    "centre": _l("One-stop centre"),
    "reception": _l("Reception point"),
    "online_support": _l("Online-service support point"),
})


class FormSource(Vocab):
    """Where a citizen gets a named form (mẫu đơn, tờ khai), as an editor chose it."""

    AUTO = "auto"
    PORTAL = "portal"
    COUNTER = "counter"


_labelled(FormSource, {
    "auto": _l("A download when a file or link is given, else ask at the counter"),
    "portal": _l("The portal's e-form (when applying online)"),
    "counter": _l("At the counter"),
})
