"""The secretariat's pages on connected applications (``/werk/applicaties/``, issue 18, docs/api.md
"Applicaties en sleutels"): the list with each application's rights and keys, registering one, its page, issuing
a key (shown once, on a page that is never cached), revoking a key and revoking the application (each after a
confirmation page).

For the secretariat only (``permissions.can_manage_applications``); other staff get a 403, parties the staff
area's 403. Thin: a form, one service call (``disputes.services.api``), a message, and back.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disputes import clock, permissions
from disputes.models import ApiApplication, ApiKey, ApiScope, Confidentiality, DisputeKind
from disputes.portal.common import add_validation_error, error_summary
from disputes.portal.forms import PortalForm
from disputes.services import api as api_services

from .base import StaffView, render_error

NAV = "applications"


class ApplicationsBase(StaffView):
    """The secretariat only: other staff get the staff area's 403 (parties get it from ``StaffView``)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and (permissions.is_staff_member(request.user) or request.user.is_superuser) \
                and not permissions.can_manage_applications(request.user):
            return render_error(request, 403, _("Gekoppelde applicaties beheert het secretariaat."))
        return super().dispatch(request, *args, **kwargs)

    def application(self, application_pk) -> ApiApplication:
        return get_object_or_404(ApiApplication.objects.select_related("created_by"), pk=application_pk)


def key_state(api_key: ApiKey, now) -> str:
    if api_key.revoked_at is not None:
        return _("ingetrokken")
    if api_key.expires_at <= now:
        return _("verlopen")
    return _("geldig")


def _rows(application: ApiApplication, now) -> dict:
    scope_labels = dict(ApiScope.choices)
    kind_labels = dict(DisputeKind.choices)
    return {
        "application": application,
        "scopes": [scope_labels.get(scope, scope) for scope in application.scopes],
        "kinds": [kind_labels.get(kind, kind) for kind in application.kinds],
        "keys": [{"key": api_key, "state": key_state(api_key, now)} for api_key in application.keys.all()],
    }


class ApplicationsView(ApplicationsBase):
    def get(self, request):
        now = clock.now()
        applications = ApiApplication.objects.prefetch_related("keys")
        context = {"rows": [_rows(application, now) for application in applications], "nav": NAV}
        return render(request, "workflow/applications/list.html", context)


class ApplicationForm(PortalForm):
    anchor = "id_name"
    name = forms.CharField(label=gettext_lazy("Naam"), max_length=200,
                           help_text=gettext_lazy("Zo heet de applicatie in de lijsten en in het logboek."))
    contact = forms.EmailField(label=gettext_lazy("Contactadres"), required=False,
                               help_text=gettext_lazy("Wie de applicatie beheert; voor storingen en verlopende "
                                                      "sleutels."))
    scopes = forms.MultipleChoiceField(label=gettext_lazy("Rechten"), choices=ApiScope.choices,
                                       widget=forms.CheckboxSelectMultiple)
    max_confidentiality = forms.ChoiceField(
        label=gettext_lazy("Hoogste vertrouwelijkheid"), choices=Confidentiality.choices,
        initial=Confidentiality.PARTIES, widget=forms.RadioSelect,
        help_text=gettext_lazy("De applicatie leest documenten tot en met dit niveau; de volledige versie van het "
                               "dossier alleen bij “Alleen ministerie”."))
    kinds = forms.MultipleChoiceField(label=gettext_lazy("Soorten geschil"), choices=DisputeKind.choices,
                                      required=False, widget=forms.CheckboxSelectMultiple,
                                      help_text=gettext_lazy("Geen keuze: alle soorten. Zaken van een andere soort "
                                                             "bestaan voor de applicatie niet."))

    # the ids workflow/_form.html gives the hint and the error
    hint_suffix = "_helptext"
    error_suffix = "_error"


class ApplicationNewView(ApplicationsBase):
    def get(self, request, *, form=None, status=200):
        form = form or ApplicationForm()
        context = {"form": form, "errors": error_summary(form), "nav": NAV}
        return render(request, "workflow/applications/form.html", context, status=status)

    def post(self, request):
        form = ApplicationForm(request.POST)
        if form.is_valid():
            try:
                application = api_services.application_register(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_validation_error(form, exc)
            else:
                messages.success(request, _("Applicatie %(name)s is geregistreerd. Geef haar nu een sleutel.")
                                 % {"name": application.name})
                return redirect("workflow:application", application.pk)
        return self.get(request, form=form, status=400)


class ApplicationView(ApplicationsBase):
    def get(self, request, application_pk):
        application = self.application(application_pk)
        context = {**_rows(application, clock.now()), "nav": NAV}
        return render(request, "workflow/applications/detail.html", context)


class KeyForm(PortalForm):
    anchor = "id_days"
    days = forms.IntegerField(label=gettext_lazy("Geldig (dagen)"), min_value=1, max_value=api_services.MAX_KEY_DAYS,
                              initial=api_services.DEFAULT_KEY_DAYS,
                              help_text=gettext_lazy("Hoogstens twee jaar. Geef voor het verlopen een nieuwe "
                                                     "sleutel en trek de oude daarna in."))

    hint_suffix = "_helptext"
    error_suffix = "_error"


class KeyNewView(ApplicationsBase):
    """A form (GET), then the key, shown once on a page no cache keeps (POST)."""

    def get(self, request, application_pk, *, form=None, status=200):
        application = self.application(application_pk)
        form = form or KeyForm()
        context = {"application": application, "form": form, "errors": error_summary(form), "nav": NAV}
        return render(request, "workflow/applications/key_new.html", context, status=status)

    def post(self, request, application_pk):
        application = self.application(application_pk)
        form = KeyForm(request.POST)
        if form.is_valid():
            try:
                issued = api_services.key_issue(actor=request.user, application=application,
                                                days=form.cleaned_data["days"])
            except ValidationError as exc:
                add_validation_error(form, exc)
            else:
                context = {"application": application, "issued": issued, "nav": NAV}
                response = render(request, "workflow/applications/key_issued.html", context)
                response["Cache-Control"] = "no-store"
                return response
        return self.get(request, application_pk, form=form, status=400)


class KeyRevokeView(ApplicationsBase):
    """A confirmation page (GET), then the key stops working (POST)."""

    def api_key(self, application_pk, key_pk) -> ApiKey:
        return get_object_or_404(ApiKey.objects.select_related("application"), pk=key_pk,
                                 application_id=application_pk)

    def get(self, request, application_pk, key_pk):
        api_key = self.api_key(application_pk, key_pk)
        context = {"application": api_key.application, "api_key": api_key, "nav": NAV}
        return render(request, "workflow/applications/key_revoke.html", context)

    def post(self, request, application_pk, key_pk):
        api_key = api_services.key_revoke(actor=request.user, api_key=self.api_key(application_pk, key_pk))
        messages.success(request, _("Sleutel %(prefix)s… is ingetrokken.") % {"prefix": api_key.prefix})
        return redirect("workflow:application", application_pk)


class ApplicationRevokeView(ApplicationsBase):
    """A confirmation page (GET), then the application, its keys and its subscriptions stop (POST)."""

    def get(self, request, application_pk):
        application = self.application(application_pk)
        return render(request, "workflow/applications/revoke.html", {"application": application, "nav": NAV})

    def post(self, request, application_pk):
        application = api_services.application_revoke(actor=request.user,
                                                      application=self.application(application_pk))
        messages.success(request, _("Applicatie %(name)s is ingetrokken.") % {"name": application.name})
        return redirect("workflow:application", application.pk)
