"""All models, importable from one place (``from app.models import Procedure``)."""

from app.models import service_points  # noqa: F401  (registers the where-and-when tables)
from app.models.accounts import (
    AuditLog,
    EditorSession,
    FormFile,
    LoginAttempt,
    Revision,
    User,
)
from app.models.activity import Feedback, SearchChange, SearchQueryDay, SearchQuerySpelling
from app.models.catalogue import Agency, Centre, Counter, Field, Level, Sector
from app.models.content import (
    Abbreviation,
    ElsewherePointer,
    LifeEvent,
    LifeEventStep,
    Synonym,
)
from app.models.legal import LegalDocument
from app.models.limits import RateEvent
from app.models.procedure import (
    Channel,
    Document,
    DocumentCase,
    Fee,
    FeeCondition,
    FeeTier,
    LegalBasis,
    Procedure,
    ProcedureAgency,
    Step,
)
from app.models.quality import (
    MonthlyResult,
    MonthlyResultChange,
    Rating,
    RatingReason,
    RatingTablet,
)
from app.models.schedule import AnnouncedProcedure, Notice, ProcedureChange

__all__ = [
    "Abbreviation", "Agency", "AuditLog", "Centre", "Channel", "Counter", "Document",
    "DocumentCase", "EditorSession", "ElsewherePointer",
    "Fee", "FeeCondition", "FeeTier", "Feedback", "Field",
    "FormFile", "LegalBasis", "LegalDocument", "Level", "LifeEvent", "LifeEventStep",
    "LoginAttempt", "MonthlyResult", "MonthlyResultChange", "Procedure", "ProcedureAgency",
    "RateEvent", "Rating", "RatingReason", "RatingTablet", "Revision", "SearchChange",
    "SearchQueryDay", "Sector", "Step", "Synonym", "User",
]
__all__ += ["AnnouncedProcedure", "Notice", "ProcedureChange"]  # app.models.schedule
__all__ += ["SearchQuerySpelling"]  # app.models.activity
