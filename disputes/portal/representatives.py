"""Representatives on the party portal (gemachtigden, docs/accounts.md): a member of a party authorises a person
outside its organisation for one case, with the machtiging; the party's members (and the representative) see its
representations on the case and end one. The secretariat checks each machtiging on the staff case page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import permissions, services
from ..models import Representation
from . import common, forms


def representations_for(user, dispute) -> list[Representation]:
    """The representations on the case of the organisations ``user`` acts for there (its own, for a
    representative), newest first."""
    return list(dispute.representations.filter(organisation_id__in=permissions.organisation_ids(user, dispute))
                .select_related("organisation", "authorisation").order_by("-requested_at"))


@login_required
@require_http_methods(["GET", "POST"])
def representatives(request, pk):
    """The party's representatives on this case, and the form to authorise one."""
    dispute = common.load_case(request, pk)
    if not permissions.can_appoint_representative(request.user, dispute):
        return common.forbidden_response(
            request, _("Een gemachtigde aanmelden kan een lid van een partij, zolang het geschil in behandeling is."))
    form = forms.RepresentativeForm(request.POST or None, request.FILES or None,
                                    initial={"expected_version": dispute.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = common.run(request, form, lambda: services.representation_request(
            dispute=dispute, actor=request.user, name=data["name"], email=data["email"],
            authorisation=data["authorisation"], expected_version=data["expected_version"]))
        if outcome.response:
            return outcome.response
        if outcome.ok:
            messages.success(request, _("%(name)s is aangemeld als gemachtigde. Het secretariaat controleert de "
                                        "machtiging; daarna krijgt %(name)s een uitnodiging per e-mail.")
                             % {"name": outcome.value.name})
            return redirect("portal:dispute", dispute.pk)
    return render(request, "portal/representatives.html", {
        "dispute": dispute, "form": form, "errors": common.error_summary(form),
        "organisation": permissions.member_organisation(request.user, dispute),
        "representations": representations_for(request.user, dispute),
    })


@login_required
@require_http_methods(["GET", "POST"])
def representative_end(request, pk, representation):
    """End a representation of the user's organisation (or their own), after a confirmation page."""
    dispute = common.load_case(request, pk)
    found = common.get_object_or_404_same(
        Representation.objects.filter(dispute=dispute).select_related("organisation", "dispute"), pk=representation)
    if not permissions.can_end_representation(request.user, found):
        return common.forbidden_response(request, _("Alleen de partij, de gemachtigde zelf of het secretariaat kan "
                                                    "een machtiging beëindigen."))
    form = forms.EndRepresentationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        outcome = common.run(request, form, lambda: services.representation_end(
            representation=found, actor=request.user, reason=form.cleaned_data["reason"]))
        if outcome.response:
            return outcome.response
        if outcome.ok:
            messages.success(request, _("De machtiging van %(name)s is beëindigd.") % {"name": found.name})
            # the representative who stepped down sees the case no more
            target = "portal:dispute" if permissions.can_view_dispute(request.user, dispute) else "home"
            return redirect(target, dispute.pk) if target == "portal:dispute" else redirect(target)
    return render(request, "portal/representative_end.html", {
        "dispute": dispute, "representation": found, "form": form, "errors": common.error_summary(form)})
