"""All models, importable from one place (``from app.models import Procedure``)."""

from app.models.accounts import AuditLog, FormFile, LoginAttempt, Revision, User
from app.models.activity import Feedback, SearchChange, SearchMiss
from app.models.catalogue import Agency, Centre, Counter, Field, Level, Sector
from app.models.content import LifeEvent, LifeEventStep, Synonym
from app.models.procedure import (
    Channel,
    Document,
    DocumentCase,
    Fee,
    FeeTier,
    LegalBasis,
    Procedure,
    ProcedureAgency,
    Step,
)

__all__ = [
    "Agency", "AuditLog", "Centre", "Channel", "Counter", "Document", "DocumentCase", "Fee",
    "FeeTier", "Feedback", "Field", "FormFile", "LegalBasis", "Level", "LifeEvent",
    "LifeEventStep", "LoginAttempt", "Procedure", "ProcedureAgency", "Revision", "SearchChange",
    "SearchMiss", "Sector", "Step", "Synonym", "User",
]
