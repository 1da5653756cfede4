"""Shared parts of the portal views: loading what a user may see, running one service call and
turning its errors into what the user sees (403, 409, field errors, a clear message; never a 500).
"""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from .. import permissions
from ..errors import NOT_IN_THIS_STATE, Conflict, DeadlineError, GuardFailed, NotPermitted
from ..models import Document, LocalAgreement, Organisation, PartyRole

APPLICANT = "applicant"
RESPONDENT = "respondent"
STAFF = "staff"
#: an applicant that withdrew its part of a joint request: it still reads the case, and can do nothing on it
FORMER_APPLICANT = "former_applicant"
#: another party to the agreement invited to give its view (Awb 4:8): it reads the case and answers its question
INTERESTED = "interested"


def role_of(user, dispute) -> str | None:
    """How the user relates to the case: applicant, respondent, former applicant or staff (None: not at all)."""
    if permissions.is_applicant(user, dispute):
        return APPLICANT
    if permissions.is_respondent(user, dispute):
        return RESPONDENT
    if permissions.is_interested(user, dispute):
        return INTERESTED
    if permissions.is_former_applicant(user, dispute):
        return FORMER_APPLICANT
    if permissions.is_staff_member(user) or user.is_superuser:
        return STAFF
    return None


def load_case(request, pk):
    """The case through the user's visible queryset: 404 (same body as a random id) when not theirs."""
    return permissions.get_dispute_for_user_or_404(request.user, pk=pk)


def agreements_for(user):
    """The local agreements the user's organisations take part in."""
    org_ids = list(permissions.organisation_ids(user))
    if not org_ids:
        return LocalAgreement.objects.none()
    ids = LocalAgreement.objects.filter(
        Q(municipality_id__in=org_ids) | Q(corporations__in=org_ids) | Q(tenant_organisations__in=org_ids)
    ).values("pk")
    return LocalAgreement.objects.filter(pk__in=ids).select_related("municipality").order_by(
        "-year", "municipality__name"
    )


def get_agreement_for_user_or_404(user, pk) -> LocalAgreement:
    try:
        return agreements_for(user).get(pk=pk)
    except (LocalAgreement.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404(_("Geschil niet gevonden.")) from exc


def get_object_or_404_same(queryset, **lookup):
    """Like get_object_or_404, with the same 404 body as a case that does not exist."""
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404(_("Geschil niet gevonden.")) from exc


def agreement_parties(agreement) -> list[Organisation]:
    """The organisations of an overleg: the gemeente, then corporations, then tenant organisations."""
    parties = [agreement.municipality]
    parties += list(agreement.corporations.order_by("name"))
    parties += list(agreement.tenant_organisations.order_by("name"))
    return parties


def effort_entries(agreement):
    return agreement.effort_entries.select_related("organisation").prefetch_related(
        Prefetch("documents", queryset=Document.objects.current().order_by("uploaded_at"))
    )


def parties_by_role(dispute) -> dict[str, list]:
    parties = list(dispute.parties.select_related("organisation"))
    return {
        APPLICANT: [p for p in parties if p.role == PartyRole.APPLICANT],
        RESPONDENT: [p for p in parties if p.role == PartyRole.RESPONDENT],
        INTERESTED: [p for p in parties if p.role == PartyRole.INTERESTED],
    }


# -- errors -----------------------------------------------------------------------------------------------------

def conflict_response(request, *, back: str = ""):
    """The 409 page: someone else changed the case since this form was shown."""
    return render(request, "portal/conflict.html", {"back": back or request.path}, status=409)


def forbidden_response(request, message: str = ""):
    return render(
        request, "portal/forbidden.html",
        {"message": message or _("U heeft geen toestemming voor deze handeling.")}, status=403,
    )


def message_of(exc: BaseException) -> str:
    if isinstance(exc, GuardFailed):
        return " ".join(str(p) for p in exc.problems)
    if exc.args:
        return str(exc.args[0])
    return _("Deze handeling is nu niet mogelijk.")


def add_validation_error(form, exc: ValidationError, field_map: dict | None = None) -> None:
    """Put a service's ValidationError on the form: on the field it names, otherwise on the form."""
    if hasattr(exc, "error_dict"):
        for name, messages in exc.message_dict.items():
            target = (field_map or {}).get(name, name)
            form.add_error(target if target in form.fields else None, messages)
    else:
        form.add_error(None, exc.messages)
    if hasattr(form, "mark_errors"):
        form.mark_errors()


@dataclass
class Outcome:
    ok: bool
    value: Any = None
    response: Any = None


def run(request, form, call, *, field_map: dict | None = None, back: str = "") -> Outcome:
    """Run one service call. Conflict -> 409 page, NotPermitted -> 403 page; validation, transition,
    guard and deadline errors land on ``form`` (shown in the error summary)."""
    try:
        return Outcome(True, call())
    except Conflict:
        return Outcome(False, response=conflict_response(request, back=back))
    except NotPermitted as exc:
        return Outcome(False, response=forbidden_response(request, str(exc)))
    except ValidationError as exc:
        add_validation_error(form, exc, field_map)
    except (*NOT_IN_THIS_STATE, DeadlineError) as exc:
        form.add_error(None, message_of(exc))
    return Outcome(False)


def error_summary(*forms) -> list[dict]:
    """``[{"href", "text"}]`` for the error summary at the top of a page, linking to each field."""
    items = []
    for form in forms:
        if form is None:
            continue
        if hasattr(form, "forms"):  # a formset
            items += [{"href": "#points", "text": e} for e in form.non_form_errors()]
            for sub in form.forms:
                items += error_summary(sub)
            continue
        for name, errors in form.errors.items():
            if name == "__all__" or name not in form.fields:
                items += [{"href": f"#{getattr(form, 'anchor', 'form')}", "text": e} for e in errors]
            else:
                bound = form[name]
                target = bound.id_for_label or bound.auto_id
                if name == "expected_version":
                    target = getattr(form, "anchor", "form")
                items += [{"href": f"#{target}", "text": e} for e in errors]
    return items


def wants_json(request) -> bool:
    return request.headers.get("x-requested-with") == "XMLHttpRequest" or "application/json" in request.headers.get(
        "accept", ""
    )
