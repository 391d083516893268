"""Forms shared by the HTML pages and the JSON API, so both give the same translated errors."""

from __future__ import annotations

from typing import Any, NamedTuple, cast

from django import forms
from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from lianluo.cases.models import Case, Category, DeclineReason
from lianluo.cases.permissions import (
    case_categories,
    case_decline_reasons,
    case_departments,
    responsible_deputies,
)
from lianluo.cases.states import FollowUpMethod, Rating, Triage
from lianluo.core.models import Congress, Department
from lianluo.core.text import (
    is_valid_phone,
    normalize_phone,
    text_check_length,
    text_max_chars,
)
from lianluo.core.uploads import CleanImage, UploadRefused, image_clean, image_open
from lianluo.deputies.models import Deputy


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Zero or more photos: images only, each limited in bytes and in pixels, re-encoded without
    EXIF. Every header is checked before any photo is decoded, so one bomb among the files
    costs no decoding at all; the work of a request is at most LIANLUO_PHOTO_MAX_COUNT photos
    of LIANLUO_IMAGE_MAX_PIXELS each."""

    widget = MultipleFileInput

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("accept", "image/jpeg,image/png,image/webp")

    def clean(self, data: Any, initial: Any = None) -> list[CleanImage]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > settings.LIANLUO_PHOTO_MAX_COUNT:
            raise forms.ValidationError(
                _("At most %(count)d photos."), params={"count": settings.LIANLUO_PHOTO_MAX_COUNT}
            )
        limit = filesizeformat(settings.LIANLUO_PHOTO_MAX_BYTES)
        contents: list[tuple[str, bytes]] = []
        for upload in files:
            if upload.size > settings.LIANLUO_PHOTO_MAX_BYTES:
                raise forms.ValidationError(
                    _("“%(name)s” is larger than %(limit)s."),
                    params={"name": upload.name, "limit": limit},
                )
            contents.append((upload.name, upload.read()))
        try:
            for name, content in contents:  # headers only: format and pixel budget
                image_open(content, name=name).close()
            return [image_clean(content, name=name) for name, content in contents]
        except UploadRefused as exc:
            raise forms.ValidationError(str(exc.message), code=exc.code) from exc


class CaseMessageForm(forms.Form):
    """A message that becomes a case (cases.intake): the text within its limit, a title, the
    citizen's name and phone, the idempotency key. The citizen's form builds on it, and so may
    the reception record's form (it sets its own labels and `text_required`)."""

    text_required = _("Please describe your problem or suggestion.")

    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    # No max_length here: Django would render it as the textarea's `maxlength`, and a browser
    # silently cuts a longer paste to it. The limit is checked in clean_text, with the numbers.
    text = forms.CharField(
        label=_("Your message"),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Please describe your problem or suggestion.")},
    )
    name = forms.CharField(label=_("Your name (optional)"), max_length=50, required=False)
    phone = forms.CharField(label=_("Phone (optional)"), max_length=20, required=False)
    idempotency_key = forms.CharField(max_length=64, required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_text(self) -> str:
        # Browsers send line ends as CRLF; count them as one character, as the counter does.
        text = str(self.cleaned_data["text"]).replace("\r\n", "\n").strip()
        if not text:
            raise forms.ValidationError(self.text_required)
        text_check_length(text)
        return text

    def clean_phone(self) -> str:
        phone = normalize_phone(self.cleaned_data.get("phone", ""))
        if phone and not is_valid_phone(phone):
            raise forms.ValidationError(_("Enter a phone number such as 13812345678."))
        return phone


class CategoryGuidance(NamedTuple):
    code: str
    label: str
    text: str


class CaseSubmitForm(CaseMessageForm):
    """What a citizen sends: only `text` is required."""

    field_order = [
        "title",
        "text",
        "category",
        "place",
        "name",
        "phone",
        "consent_publish",
        "photos",
        "idempotency_key",
    ]

    category = forms.CharField(label=_("Category"), max_length=50, required=False)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    consent_publish = forms.BooleanField(
        label=_("The outcome may be published without my name"), required=False
    )
    photos = MultipleImageField(label=_("Photos (optional)"))

    def __init__(self, *args: Any, congress: Congress | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.congress = congress
        self.category_obj: Category | None = None
        self.category_text = ""
        self._categories: list[Category] | None = None
        # A callable: the catalog is read when the select is rendered, not for the JSON API.
        # static/lianluo/guidance.js shows the chosen matter's guidance right below the select.
        self.fields["category"].widget = forms.Select(
            choices=cast(Any, self._category_choices),
            attrs={"data-guidance": "category-guidance", "aria-describedby": "category-chosen"},
        )
        # The limit is shown, not enforced, in the page: static/lianluo/counter.js counts.
        self.fields["text"].widget.attrs.update(
            {"data-max-chars": text_max_chars(), "aria-describedby": "text-hint text-counter"}
        )

    def _category_choices(self) -> list[tuple[str, Any]]:
        return [("", _("— choose —"))] + [(c.code, c.label) for c in self.categories()]

    def categories(self) -> list[Category]:
        """The active categories offered: the congress's own, then the shared ones whose code
        the congress does not use (as case_categories resolves a code)."""
        if self._categories is None:
            q = Q(congress__isnull=True)
            if self.congress is not None:
                q |= Q(congress=self.congress)
            rows = (
                Category.objects.filter(q, active=True)
                .select_related("guidance_reason")
                .order_by(F("congress_id").asc(nulls_last=True), "code")
            )
            by_code: dict[str, Category] = {}
            for row in rows:
                by_code.setdefault(row.code, row)
            self._categories = sorted(by_code.values(), key=lambda c: c.code)
        return self._categories

    def guidance(self) -> list[CategoryGuidance]:
        """The categories the station does not take (涉法涉诉, 信访) with where to go instead,
        shown before the citizen sends (portal/_category_guidance.html, lianluo/guidance.js)."""
        return [
            CategoryGuidance(c.code, c.label, c.guidance_reason.guidance_label)
            for c in self.categories()
            if c.guidance_reason is not None
        ]

    def clean_category(self) -> str:
        """A catalog code or name resolves to the category; other text is kept as given."""
        value = (self.cleaned_data.get("category") or "").strip()
        self.category_obj = None
        self.category_text = ""
        if value:
            for c in self.categories():
                if value in (c.code, c.name, c.name_en):
                    self.category_obj = c
                    break
            else:
                self.category_text = value
        return value


class CodeChoiceField(forms.ModelChoiceField):
    """A record chosen by its code among a queryset that may hold a code twice (a congress's own
    catalog entry and the shared one): the queryset's first wins, as in the service."""

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        assert self.queryset is not None and self.to_field_name
        found = self.queryset.filter(**{str(self.to_field_name): value}).first()
        if found is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return found


class DeputyChoiceField(CodeChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.code}）"


class TransitionForm(forms.Form):
    """A transition's form, for one case: the records it offers are those the case may name
    (cases.permissions, the rule case_transition enforces), never the whole table."""

    def __init__(self, *args: Any, case: Case | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        if case is not None:
            self.restrict(case)

    def restrict(self, case: Case) -> None:
        """Narrow the choice fields to the records this case may name."""

    def narrow(self, name: str, queryset: QuerySet[Any]) -> None:
        cast(forms.ModelChoiceField, self.fields[name]).queryset = queryset


class AcceptForm(TransitionForm):
    triage = forms.ChoiceField(label=_("Class"), choices=Triage.choices)
    category = CodeChoiceField(
        label=_("Category"), queryset=Category.objects.none(), required=False, to_field_name="code"
    )
    deputy = DeputyChoiceField(
        label=_("Responsible deputy"),
        queryset=Deputy.objects.none(),
        required=False,
        to_field_name="code",
    )
    note = forms.CharField(
        label=_("Internal note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def restrict(self, case: Case) -> None:
        self.narrow("category", case_categories(case))
        self.narrow("deputy", responsible_deputies(case).order_by("code"))


class DeclineForm(TransitionForm):
    reason = CodeChoiceField(
        label=_("Reason"), queryset=DeclineReason.objects.none(), to_field_name="code"
    )
    note = forms.CharField(
        label=_("Note to the citizen"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def restrict(self, case: Case) -> None:
        self.narrow("reason", case_decline_reasons(case))


class TextForm(TransitionForm):
    # The same limit as the citizen's message, never a `maxlength` that cuts a pasted answer.
    text = forms.CharField(
        label=_("Answer"), widget=forms.Textarea(attrs={"rows": 4}), validators=[text_check_length]
    )


class AssignForm(TransitionForm):
    department = CodeChoiceField(
        label=_("Department"),
        queryset=Department.objects.none(),
        to_field_name="code",
    )
    note = forms.CharField(label=_("Internal note"), required=False)

    def restrict(self, case: Case) -> None:
        self.narrow("department", case_departments(case).order_by("code"))


class ReasonForm(TransitionForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class FollowUpForm(TransitionForm):
    method = forms.ChoiceField(label=_("How"), choices=FollowUpMethod.choices)
    note = forms.CharField(
        label=_("The citizen's feedback"), widget=forms.Textarea(attrs={"rows": 2})
    )


class RateForm(TransitionForm):
    rating = forms.ChoiceField(label=_("Rating"), choices=Rating.choices, widget=forms.RadioSelect)


class NoteForm(TransitionForm):
    note = forms.CharField(label=_("Internal note"), required=False)


ACTION_FORMS: dict[str, type[TransitionForm]] = {
    "accept": AcceptForm,
    "decline": DeclineForm,
    "answer_on_spot": TextForm,
    "assign": AssignForm,
    "escalate": ReasonForm,
    "convert": NoteForm,
    "answer": TextForm,
    "follow_up": FollowUpForm,
    "rate": RateForm,
    "reopen": NoteForm,
    "close": NoteForm,
}
