"""Forms of the web pages. They only parse input; the services validate it against the owner."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.strength import StrengthPercentField
from ml.edits import EDIT_RANGES


def edits_from(data) -> dict:
    """The edit sliders posted (`edit_<control>`), as numbers where they are numbers; the
    services check the values and name a wrong one."""
    edits = {}
    for name in EDIT_RANGES:
        raw = data.get(f"edit_{name}")
        if raw in (None, ""):
            continue
        try:
            edits[name] = float(raw)
        except ValueError:
            edits[name] = raw
    return edits


class PhotoChoiceForm(forms.Form):
    """Photos picked by id; the services check that they are the owner's."""

    photos = forms.MultipleChoiceField(
        label=_("Photos"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one photo.")},
    )

    def __init__(self, *args, owner_photos=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photos"].choices = [(str(photo.pk), str(photo.pk)) for photo in owner_photos]


class StylizeForm(PhotoChoiceForm):
    look = forms.SlugField(widget=forms.HiddenInput)
    strength = StrengthPercentField(label=_("Strength (%)"))
    use_adapter = forms.BooleanField(label=_("Use my adapter"), required=False)


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Rating"),
        choices=[(-1, _("Dislike")), (0, _("No rating")), (1, _("Like"))],
        coerce=int,
        required=False,
        empty_value=None,
    )
    favourite = forms.TypedChoiceField(
        label=_("Favourite"),
        choices=[("true", _("Yes")), ("false", _("No"))],
        coerce=lambda value: value == "true",
        required=False,
        empty_value=None,
    )


class GalleryFilterForm(forms.Form):
    look = forms.SlugField(label=_("Look"), required=False)
    favourite = forms.BooleanField(label=_("Favourites only"), required=False)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    job = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, looks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["look"].widget = forms.Select(
            choices=[("", _("All looks"))] + [(look.slug, look.name) for look in looks]
        )

    def apply(self, results):
        """The results that match the valid filters (invalid ones are ignored)."""
        if not self.is_valid():
            return results
        data = self.cleaned_data
        if data["look"]:
            results = results.filter(look__slug=data["look"])
        if data["favourite"]:
            results = results.filter(favourite=True)
        if data["since"]:
            results = results.filter(created__date__gte=data["since"])
        if data["until"]:
            results = results.filter(created__date__lte=data["until"])
        if data["job"]:
            results = results.filter(job_id=data["job"])
        return results
