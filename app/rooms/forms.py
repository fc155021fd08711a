"""Forms for creating and entering rooms."""

from flask import current_app, request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, PasswordField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional


class Configured:
    """A validator that `make` builds from the app's configuration each time it is used."""

    # Limits are set once, in app/config.py, and read here when a form is built or checked.

    def __init__(self, make):
        self.make = make

    @property
    def field_flags(self) -> dict:
        # Read when a form is built: the input's maxlength, min and max attributes.
        return self.make(current_app.config).field_flags

    def __call__(self, form, field):
        self.make(current_app.config)(form, field)


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _default_capacity(value):
    return current_app.config["ROOM_CAPACITY_DEFAULT"] if value is None else value


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
            Configured(
                lambda config: Length(
                    max=config["TITLE_MAX_LENGTH"],
                    message=_l("The title can be at most %(max)d characters."),
                )
            ),
        ],
    )
    max = IntegerField(  # the room's capacity; "max" on the wire, as the original app named it
        _l("Capacity"),  # its bounds are the input's min and max, from configuration
        filters=[_default_capacity],
        validators=[
            Optional(),
            Configured(
                lambda config: NumberRange(
                    config["ROOM_CAPACITY_MIN"],
                    config["ROOM_CAPACITY_MAX"],
                    _l("Capacity must be between %(min)d and %(max)d."),
                )
            ),
        ],
    )
    password = PasswordField(
        _l("Password (none for a public room)"),
        validators=[
            Configured(
                lambda config: Length(
                    max=config["PASSWORD_MAX_LENGTH"],
                    message=_l("The password can be at most %(max)d characters."),
                )
            )
        ],
    )


class PasswordForm(Form):
    password = PasswordField(_l("Password"), validators=[InputRequired(_l("Enter the password."))])
