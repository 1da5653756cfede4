"""The secretariat checks a representative's machtiging on the case page (docs/accounts.md, "Gemachtigden"):
approve (the representative is invited) or refuse with a reason; and ends a representation. POST only, each
through its service (representation_check, representation_end), a message, and back to the case page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from disputes import permissions, services
from disputes.errors import OperationNotAllowed
from disputes.models import Representation

from .base import StaffView

ANCHOR = "#gemachtigden"


def _representation(user, pk, representation_pk) -> Representation:
    dispute = permissions.get_dispute_for_user_or_404(user, pk=pk)
    found = Representation.objects.filter(dispute=dispute, pk=representation_pk).select_related("dispute").first()
    if found is None:
        raise Http404(_("Geschil niet gevonden."))
    return found


def _back(pk):
    response = redirect("workflow:case", pk)
    response["Location"] += ANCHOR
    return response


class RepresentationCheckView(StaffView):
    http_method_names = ["post"]

    def post(self, request, pk, representation_pk):
        representation = _representation(request.user, pk, representation_pk)
        approve = request.POST.get("decision") == "approve"
        if request.POST.get("decision") not in ("approve", "refuse"):
            messages.error(request, _("Kies of u de machtiging goedkeurt of afwijst."))
            return _back(pk)
        try:
            services.representation_check(representation=representation, actor=request.user, approve=approve,
                                          note=request.POST.get("note", "")[:4000])
        except (ValidationError, OperationNotAllowed) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", None) or [str(exc)]))
        else:
            messages.success(request, (_("De machtiging van %(name)s is goedgekeurd; %(name)s krijgt een "
                                         "uitnodiging per e-mail.") if approve else
                                       _("De machtiging van %(name)s is afgewezen; de partij krijgt bericht."))
                             % {"name": representation.name})
        return _back(pk)


class RepresentationEndView(StaffView):
    http_method_names = ["post"]

    def post(self, request, pk, representation_pk):
        representation = _representation(request.user, pk, representation_pk)
        try:
            services.representation_end(representation=representation, actor=request.user,
                                        reason=request.POST.get("reason", "")[:4000])
        except (ValidationError, OperationNotAllowed) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", None) or [str(exc)]))
        else:
            messages.success(request, _("De machtiging van %(name)s is beëindigd.") % {"name": representation.name})
        return _back(pk)
