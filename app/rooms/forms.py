"""Forms for creating and entering rooms."""

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, PasswordField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class Form(FlaskForm):
    """Reads form fields only: a JSON body would hand the fields numbers, lists and objects."""

    class Meta:
        def wrap_formdata(self, form, formdata):
            return request.form if request.is_json else super().wrap_formdata(form, formdata)


class RoomForm(Form):
    title = StringField(
        _l("Title"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Give the room a title.")),
            Length(max=100, message=_l("The title can be at most %(max)d characters.")),
        ],
    )
    max = IntegerField(
        _l("Capacity (at least 2)"),
        default=10,
        validators=[
            Optional(),
            NumberRange(2, 100, _l("Capacity must be between %(min)d and %(max)d.")),
        ],
    )
    password = PasswordField(
        _l("Password (none for a public room)"),
        validators=[Length(max=100, message=_l("The password can be at most %(max)d characters."))],
    )


class PasswordForm(Form):
    password = PasswordField(_l("Password"), validators=[InputRequired(_l("Enter the password."))])
