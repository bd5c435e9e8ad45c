"""Django's own messages that our pages show, repeated here so that `makemessages` puts them
in our catalogue: Django ships no Tetum, and without them a Tetum page would show these in
Indonesian (Django falls back to LANGUAGE_CODE). The msgids are Django's, character for
character; nothing imports this module (ADR 29)."""

from django.utils.translation import gettext_noop as _

DJANGO_MESSAGES = (
    # Month and weekday names of the date formats our templates use ("j F Y", "j M Y", "D j M").
    _("January"), _("February"), _("March"), _("April"), _("May"), _("June"), _("July"),
    _("August"), _("September"), _("October"), _("November"), _("December"),
    _("jan"), _("feb"), _("mar"), _("apr"), _("may"), _("jun"), _("jul"), _("aug"), _("sep"),
    _("oct"), _("nov"), _("dec"),
    _("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"), _("Saturday"),
    _("Sunday"), _("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun"),
    # The empty choice of a model field's select (new in Django 6.1, not yet in its Indonesian).
    _("- Select an option -"),
    # Form validation.
    _("This field is required."),
    _("Enter a valid date."),
    _("Enter a valid time."),
    _("Enter a valid date/time."),
    _("Enter a whole number."),
    _("Enter a number."),
    _("Enter a valid email address."),
    _("Enter a valid value."),
    _("Enter a valid UUID."),
    _("Select a valid choice. %(value)s is not one of the available choices."),
    _("Select a valid choice. That choice is not one of the available choices."),
    _("Ensure this value is less than or equal to %(limit_value)s."),
    _("Ensure this value is greater than or equal to %(limit_value)s."),
    _("No file was submitted. Check the encoding type on the form."),
    _("The submitted file is empty."),
    _("Upload a valid image. The file you uploaded was either not an image or a corrupted image."),
    _("Enter a list of values."),
    _("Null characters are not allowed."),
    # Authentication forms.
    _("Username"), _("Password"), _("username"), _("password"), _("Email"),
    _("New password"), _("New password confirmation"),
    _("The two password fields didn’t match."),
    _("This password is too common."),
    _("This password is entirely numeric."),
)
