"""The secretariat's pages on party organisations (``/werk/organisaties/``, docs/accounts.md "Organisaties en
leden"): the list (50 a page, by kind and name), an organisation made or changed, its members (active and ended),
its invitations with their state, which cases its members see and why ("Toegang"), ending a membership (after a
confirmation page), inviting a person and revoking an invitation.

For the secretariat only (``permissions.can_manage_organisations``); other staff get a 403, parties the staff
area's 403. Thin: a form with explicit fields, one service call (``disputes.services``: organisation_create,
organisation_update, invitation_send, invitation_revoke, membership_end), a message, and back (POST, redirect, GET).
The URLs name the organisation ``organisation_pk`` (not ``pk``, which ``StaffView`` reads as a case).
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disputes import paging, permissions, services
from disputes.models import Invitation, Membership, Organisation, OrganisationKind, Province
from disputes.portal.common import add_validation_error, error_summary

from .. import organisations
from ..forms import PlainSelect
from .base import StaffView, render_error


class SecretariatView(StaffView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and (permissions.is_staff_member(request.user) or request.user.is_superuser) \
                and not permissions.can_manage_organisations(request.user):
            return render_error(request, 403, _("Organisaties, leden en uitnodigingen beheert het secretariaat."))
        return super().dispatch(request, *args, **kwargs)

    def organisation(self, organisation_pk) -> Organisation:
        return get_object_or_404(Organisation, pk=organisation_pk)


class OrganisationFilterForm(forms.Form):
    soort = forms.ChoiceField(label=gettext_lazy("Soort"), required=False, widget=PlainSelect)
    naam = forms.CharField(label=gettext_lazy("Naam bevat"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["soort"].choices = [("", _("Alle")), *OrganisationKind.choices]


class OrganisationsView(SecretariatView):
    def get(self, request):
        form = OrganisationFilterForm({k: v for k, v in request.GET.items() if k in ("soort", "naam")} or None)
        data = form.cleaned_data if form.is_bound and form.is_valid() else {}
        page = organisations.organisations(kind=data.get("soort", ""), name=data.get("naam", ""),
                                           page=request.GET.get("pagina", 1))
        base = {k: v for k, v in data.items() if v}
        context = {"form": form, "errors": error_summary(form) if form.is_bound else [], "page": page,
                   "rows": page.object_list, "pager": paging.pager(page, base), "filtered": bool(base),
                   "nav": "organisations"}
        return render(request, "workflow/organisations.html", context)


class OrganisationForm(forms.Form):
    anchor = "id_name"
    kind = forms.ChoiceField(label=gettext_lazy("Soort"), choices=OrganisationKind.choices)
    name = forms.CharField(label=gettext_lazy("Naam"), max_length=200)
    kvk_number = forms.CharField(label=gettext_lazy("KvK-nummer"), max_length=8, required=False,
                                 help_text=gettext_lazy("8 cijfers; daarmee vindt het inloggen met eHerkenning de "
                                                        "organisatie."))
    email = forms.EmailField(label=gettext_lazy("Algemeen e-mailadres"), required=False,
                             help_text=gettext_lazy("Voor berichten en voor een uitnodiging als de organisatie "
                                                    "verweerder is en nog geen leden heeft."))
    province = forms.ChoiceField(label=gettext_lazy("Provincie"), required=False)
    postal_address = forms.CharField(label=gettext_lazy("Postadres"), required=False, max_length=500,
                                     widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [("", "-"), *Province.choices]


class OrganisationFormView(SecretariatView):
    """A new organisation (``organisation_pk`` None) or a change to one."""

    def get(self, request, organisation_pk=None, *, form=None, status=200):
        organisation = self.organisation(organisation_pk) if organisation_pk else None
        if form is None:
            initial = {f: getattr(organisation, f) for f in services.accounts.ORGANISATION_FIELDS} \
                if organisation else {}
            form = OrganisationForm(initial=initial)
        context = {"form": form, "organisation": organisation, "errors": error_summary(form), "nav": "organisations"}
        return render(request, "workflow/organisation_form.html", context, status=status)

    def post(self, request, organisation_pk=None):
        organisation = self.organisation(organisation_pk) if organisation_pk else None
        form = OrganisationForm(request.POST)
        if form.is_valid():
            fields = {f: form.cleaned_data[f] for f in services.accounts.ORGANISATION_FIELDS}
            try:
                if organisation is None:
                    organisation = services.organisation_create(actor=request.user, **fields)
                    messages.success(request, _("Organisatie %(name)s is toegevoegd.") % {"name": organisation.name})
                else:
                    organisation = services.organisation_update(actor=request.user, organisation=organisation,
                                                                **fields)
                    messages.success(request, _("De gegevens van %(name)s zijn opgeslagen.")
                                     % {"name": organisation.name})
            except ValidationError as exc:
                add_validation_error(form, exc)
            else:
                return redirect("workflow:organisation", organisation.pk)
        return self.get(request, organisation_pk, form=form, status=400)


class OrganisationView(SecretariatView):
    def get(self, request, organisation_pk):
        organisation = self.organisation(organisation_pk)
        active, ended = organisations.members(organisation)
        context = {
            "organisation": organisation, "active": active, "ended": ended,
            "invitations": organisations.organisation_invitations(organisation),
            "access": organisations.access(organisation), "nav": "organisations",
        }
        return render(request, "workflow/organisation.html", context)


class InviteForm(forms.Form):
    anchor = "id_email"
    email = forms.EmailField(label=gettext_lazy("E-mailadres"))
    name = forms.CharField(label=gettext_lazy("Naam"), max_length=150, required=False)


class OrganisationInviteView(SecretariatView):
    def get(self, request, organisation_pk, *, form=None, status=200):
        organisation = self.organisation(organisation_pk)
        form = form or InviteForm()
        context = {"form": form, "organisation": organisation, "errors": error_summary(form),
                   "days": settings.INVITATION_DAYS, "nav": "organisations"}
        return render(request, "workflow/organisation_invite.html", context, status=status)

    def post(self, request, organisation_pk):
        organisation = self.organisation(organisation_pk)
        form = InviteForm(request.POST)
        if form.is_valid():
            try:
                invitation = services.invitation_send(actor=request.user, organisation=organisation,
                                                      email=form.cleaned_data["email"], name=form.cleaned_data["name"])
            except ValidationError as exc:
                add_validation_error(form, exc)
            else:
                messages.success(request, _("Uitnodiging verstuurd naar %(email)s.") % {"email": invitation.email})
                return redirect("workflow:organisation", organisation.pk)
        return self.get(request, organisation_pk, form=form, status=400)


class MembershipEndView(SecretariatView):
    """A confirmation page (GET), then the membership ends (POST)."""

    def membership(self, organisation_pk, membership_pk) -> Membership:
        return get_object_or_404(Membership.objects.select_related("user", "organisation"),
                                 pk=membership_pk, organisation_id=organisation_pk)

    def get(self, request, organisation_pk, membership_pk):
        membership = self.membership(organisation_pk, membership_pk)
        context = {"membership": membership, "organisation": membership.organisation, "nav": "organisations",
                   "access": organisations.access(membership.organisation)}
        return render(request, "workflow/organisation_membership_end.html", context)

    def post(self, request, organisation_pk, membership_pk):
        membership = self.membership(organisation_pk, membership_pk)
        user = membership.user
        try:
            services.membership_end(actor=request.user, membership=membership)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Het lidmaatschap van %(name)s is beëindigd.")
                             % {"name": user.get_full_name() or user.get_username()})
        return redirect("workflow:organisation", organisation_pk)


class InvitationRevokeView(SecretariatView):
    http_method_names = ["post"]

    def post(self, request, organisation_pk, invitation_pk):
        invitation = get_object_or_404(Invitation, pk=invitation_pk, organisation_id=organisation_pk)
        try:
            services.invitation_revoke(actor=request.user, invitation=invitation)
        except services.InvitationClosed:
            messages.error(request, _("Deze uitnodiging was al aangenomen, ingetrokken of verlopen."))
        else:
            messages.success(request, _("De uitnodiging aan %(email)s is ingetrokken.") % {"email": invitation.email})
        return redirect("workflow:organisation", organisation_pk)
