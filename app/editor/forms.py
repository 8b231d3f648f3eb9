"""Small Flask-WTF forms: sign-in, password, accounts, reference data, files, import.

The whole-record procedure form lives in ``record_form``. Every form inherits CSRF
protection from ``FlaskForm``; sub-forms of repeating parts are plain ``wtforms.Form``.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    EmailField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp

from app.editor.fields import WholeNumberField
from app.vocab import Role

SLUG = Regexp(r"^[a-z0-9]+(-[a-z0-9]+)*$",
              message=_l("Use lower-case letters a–z, digits and hyphens, like ho-tich."))
# A plain check (the email_validator package is not a dependency): something@host.tld.
# Every part is bounded and the domain's labels hold no dot, so the match is linear in the
# input: the unbounded "[^@\s]+\.[^@\s]+" took seconds on 20,000 characters.
EMAIL = Regexp(r"^[^@\s]{1,64}@[^@\s.]{1,63}(?:\.[^@\s.]{1,63}){1,8}$",
               message=_l("Enter an email address like name@example.org."))
MIN_PASSWORD = 12
ROLE_LABELS = Role.labels()


def options(pairs) -> list[SelectChoice]:
    """Select options from (value, label) pairs (WTForms wants ``SelectChoice`` objects)."""
    return [SelectChoice(value, label) for value, label in pairs]


def role_choices() -> list[SelectChoice]:
    return options(Role.labels().items())


class LoginForm(FlaskForm):
    email = EmailField(_l("Email address"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1000)])
    next = HiddenField()


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    new = PasswordField(
        _l("New password"), validators=[DataRequired(), Length(min=MIN_PASSWORD, max=1000)],
        description=_l("At least 12 characters. A few unrelated words make a good password."))
    confirm = PasswordField(_l("New password again"), validators=[
        DataRequired(), EqualTo("new", message=_l("The two new passwords differ."))])


class UserForm(FlaskForm):
    email = EmailField(_l("Email address"), validators=[DataRequired(), EMAIL, Length(max=254)])
    role = SelectField(_l("Role"), choices=role_choices)
    active = BooleanField(_l("Account can sign in"), default=True)
    password = PasswordField(
        _l("Set a new password"), validators=[Optional(), Length(min=MIN_PASSWORD, max=1000)],
        description=_l("Leave empty to keep the current password. At least 12 characters."))


class FieldForm(FlaskForm):
    slug = StringField(_l("Slug"), validators=[DataRequired(), Length(max=80), SLUG])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name in English"), validators=[Length(max=200)])
    sector = SelectField(_l("Sector"), choices=[])
    description = TextAreaField(_l("Description"))
    description_en = TextAreaField(_l("Description in English"))
    position = WholeNumberField(_l("Position in lists"))


class AgencyForm(FlaskForm):
    slug = StringField(_l("Slug"), validators=[DataRequired(), Length(max=120), SLUG])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=300)])
    name_en = StringField(_l("Name in English"), validators=[Length(max=300)])
    level = SelectField(_l("Level"), choices=[])


class FeeConditionForm(FlaskForm):
    slug = StringField(_l("Slug"), validators=[DataRequired(), Length(max=80), SLUG],
                       description=_l("For example: vneid-muc-2"))
    name = TextAreaField(_l("Name"), validators=[DataRequired(), Length(max=500)],
                         description=_l("Read after “nếu”, for example: Nộp trực tuyến bằng "
                                        "tài khoản định danh điện tử VNeID mức 2"))
    name_en = TextAreaField(_l("Name in English"), validators=[Length(max=500)])
    position = WholeNumberField(_l("Position in lists"))


class SynonymForm(FlaskForm):
    term = StringField(_l("Word people type"), validators=[DataRequired(), Length(max=200)],
                       description=_l("For example: sổ đỏ"))
    expansion = TextAreaField(
        _l("Official words it stands for"), validators=[DataRequired()],
        description=_l("For example: giấy chứng nhận quyền sử dụng đất. Separate alternatives "
                       "with “;” (a comma belongs to the name)."))


class AbbreviationForm(FlaskForm):
    term = StringField(_l("Abbreviation"), validators=[DataRequired(), Length(max=60)],
                       description=_l("As people write it, for example: GCN QSDĐ"))
    expansion = TextAreaField(
        _l("What it stands for"), validators=[DataRequired(), Length(max=300)],
        description=_l("For example: giấy chứng nhận quyền sử dụng đất"))


class ElsewhereForm(FlaskForm):
    term = StringField(
        _l("What people ask for"), validators=[DataRequired(), Length(max=300)],
        description=_l("For example: giấy phép lái xe; bằng lái xe; GPLX. Separate the ways "
                       "people say it with “;”."))
    place = StringField(_l("Where to go"), validators=[DataRequired(), Length(max=300)],
                        description=_l("For example: Công an tỉnh (phòng Cảnh sát giao thông)"))
    place_en = StringField(_l("Where to go, in English"), validators=[Length(max=300)])
    url = StringField(_l("Official page (optional)"), validators=[
        Optional(), Length(max=500), Regexp(r"^https?://\S+$", message=_l(
            "Enter a web address starting with https:// or http://"))])


class CounterForm(Form):
    number = StringField(_l("Counter number"), validators=[DataRequired(), Length(max=20)])
    name = StringField(_l("Name"), validators=[Length(max=300)])
    name_en = StringField(_l("Name in English"), validators=[Length(max=300)])


class CentreForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=300)])
    name_en = StringField(_l("Name in English"), validators=[Length(max=300)])
    address = TextAreaField(_l("Address"))
    phone = StringField(_l("Phone"), validators=[Length(max=50)])
    email = StringField(_l("Email address"), validators=[Optional(), EMAIL, Length(max=200)])
    opening_hours = TextAreaField(_l("Opening hours"))
    opening_hours_en = TextAreaField(_l("Opening hours in English"))
    counters = FieldList(FormField(CounterForm))


class LifeEventStepForm(Form):
    title = StringField(_l("Step title"), validators=[DataRequired(), Length(max=300)])
    title_en = StringField(_l("Step title in English"), validators=[Length(max=300)])
    note = TextAreaField(_l("Note"))
    procedure = StringField(_l("Procedure code"), validators=[Length(max=60)],
                            description=_l("Optional. For example: 1.001193"))


class LifeEventForm(FlaskForm):
    slug = StringField(_l("Slug"), validators=[DataRequired(), Length(max=120), SLUG])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name in English"), validators=[Length(max=200)])
    description = TextAreaField(_l("Description"))
    description_en = TextAreaField(_l("Description in English"))
    position = WholeNumberField(_l("Position in lists"))
    steps = FieldList(FormField(LifeEventStepForm))


class UploadForm(FlaskForm):
    file = FileField(_l("Form file"), validators=[FileRequired()],
                     description=_l("PDF, DOC, DOCX or ODT."))


class ImportForm(FlaskForm):
    file = FileField(_l("Catalogue file"), validators=[FileRequired()],
                     description=_l("A JSON export, or a CSV file with one procedure per row."))


class ApplyImportForm(FlaskForm):
    token = HiddenField(validators=[DataRequired(), Regexp(r"^[A-Za-z0-9_-]{16,64}$")])


class ConfirmForm(FlaskForm):
    """A button-only form (publish, unpublish …): CSRF plus the version it was shown at."""

    lock_version = HiddenField()
    note = TextAreaField(_l("Note"), validators=[Length(max=2000)])
