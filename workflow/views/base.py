"""What every staff page shares: ``StaffView`` (staff only), the error page, and the mapping of
the domain's errors onto a response or a form, done once here for the task and case-action pages.
"""

from contextlib import nullcontext

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from disputes import letterbook, permissions
from disputes.errors import NOT_IN_THIS_STATE, Conflict, DeadlineError, NotPermitted
from disputes.models import Dispute, StaffRole
from disputes.services import CONFLICT_MESSAGE

from .. import sync
from ..flows import DisputeFlow


def render_error(request, status: int, message: str, *, dispute=None, back_url: str = ""):
    context = {"status": status, "message": message, "dispute": dispute, "back_url": back_url}
    return render(request, "workflow/error.html", context, status=status)


class StaffView(View):
    """Every page under /werk/ is for staff (secretariat, commission, ministry) only."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (permissions.is_staff_member(request.user) or request.user.is_superuser):
            if "pk" in kwargs:
                # a case that is not theirs answers like a case that does not exist (404); only on
                # their own case does a party learn that this page is for staff (403)
                permissions.get_dispute_for_user_or_404(request.user, pk=kwargs["pk"])
            return render_error(
                request, 403,
                _("Deze pagina's zijn voor het secretariaat, de adviescommissie en de ambtenaren van het ministerie."),
            )
        try:
            return super().dispatch(request, *args, **kwargs)
        except NotPermitted as exc:
            return render_error(request, 403, str(exc))


def case_lock(dispute):
    """The flow lock (dispute row, then process row), or a plain transaction before a process exists."""
    process = sync.process_of(dispute)
    return DisputeFlow.lock(process.pk) if process is not None else nullcontext()


def check_version(dispute, form) -> Dispute:
    current = Dispute.objects.get(pk=dispute.pk)
    if current.version != form.cleaned_data["expected_version"]:
        raise Conflict(CONFLICT_MESSAGE())
    return current


def apply_validation_error(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names, else on the upload, else on top."""
    if hasattr(exc, "error_dict"):
        for key, errors in exc.error_dict.items():
            name = form.error_fields.get(key, key)
            form.add_error(name if name in form.fields else None, errors)
        return
    uploads = [name for name in form.document_fields if form.cleaned_data.get(name)]
    if not uploads and "file" in form.fields and form.cleaned_data.get("file"):
        uploads = ["file"]
    form.add_error(uploads[0] if len(uploads) == 1 else None, exc.messages)


def domain_error(request, exc, form, dispute, back_url):
    """Map a domain error to a response; None means: re-render the page with ``page_error``."""
    if isinstance(exc, Conflict):
        return render_error(request, 409, str(exc), dispute=dispute, back_url=back_url)
    if isinstance(exc, NotPermitted):
        return render_error(request, 403, str(exc), dispute=dispute, back_url=back_url)
    return None


DOMAIN_ERRORS = (Conflict, NotPermitted, ValidationError, *NOT_IN_THIS_STATE, DeadlineError)


def page_message(exc) -> str:
    problems = getattr(exc, "problems", None)
    if problems:
        return " ".join(str(p) for p in problems)
    return str(exc.args[0]) if getattr(exc, "args", None) else str(exc)


def build_form(action, dispute, user, *, point=None, data=None, files=None):
    prefix = action.slug if point is None else f"{action.slug}-p{point.number}"
    kwargs = action.form_kwargs(dispute, user)
    # the initial values also on a bound form: has_changed() tells which points of a per-point form were filled in
    initial = {"expected_version": dispute.version, **action.initial(dispute, point)}
    if data is None:
        return action.form_class(prefix=prefix, initial=initial, **kwargs)
    return action.form_class(data, files, prefix=prefix, initial=initial, **kwargs)


def letters_for(user) -> list:
    """The letter kinds (kind, title) this user may download blank, with the wording in use (``workflow:letter``):
    secretariat and ministry officials only."""
    if not permissions.has_role(user, StaffRole.SECRETARY, StaffRole.MINISTER_OFFICIAL):
        return []
    return [(kind, spec.title) for kind, spec in letterbook.KINDS.items()]
