"""All models, importable from one place (``from app.models import Procedure``)."""

from app.models.accounts import AuditLog, FormFile, LoginAttempt, Revision, User
from app.models.activity import Feedback, SearchChange, SearchMiss
from app.models.catalogue import Agency, Centre, Counter, Field, Level, Sector
from app.models.content import LifeEvent, LifeEventStep, Synonym
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

__all__ = [
    "Agency", "AuditLog", "Centre", "Channel", "Counter", "Document", "DocumentCase", "Fee",
    "FeeCondition", "FeeTier", "Feedback", "Field", "FormFile", "LegalBasis", "LegalDocument", "Level", "LifeEvent",
    "LifeEventStep", "LoginAttempt", "Procedure", "ProcedureAgency", "RateEvent", "Revision", "SearchChange",
    "SearchMiss", "Sector", "Step", "Synonym", "User",
]
