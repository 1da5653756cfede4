"""The secretariat's page *Inlogbeveiliging* (/werk/inlogbeveiliging/): lift a lock-out of the log-in
brake, and send a staff member the set-up link for their authenticator app.

For secretaries (and superusers) only; other staff get a 403, parties the staff area's 403. Thin:
a form with explicit fields, one call to ``disputes.auth.lift_lockout`` or
``disputes.enrolment.enrolment_start``, a message, and back to the page (POST, redirect, GET).
"""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db.models import Max
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from disputes import auth, enrolment
from disputes.models import AccessAction, AccessLogEntry
from disputes.portal.common import error_summary

from .views import StaffView, render_error

#: At most this many recent lock-outs are listed (bounded work for every list).
RECENT_LOCKOUTS = 50


class LiftLockoutForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("Gebruikersnaam"), max_length=150, required=False)
    address = forms.GenericIPAddressField(label=gettext_lazy("IP-adres"), required=False)

    def clean(self):
        data = super().clean()
        if not self.errors and not (data.get("username") or data.get("address")):
            raise forms.ValidationError(_("Vul een gebruikersnaam of een IP-adres in."))
        return data


class EnrolmentLinkForm(forms.Form):
    user = forms.ModelChoiceField(label=gettext_lazy("Medewerker"), queryset=enrolment.staff_users())


def recent_lockouts() -> list[dict]:
    """User names and addresses refused by the brake within its lock-out time that are still locked."""
    since = timezone.now() - timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)
    rows = (AccessLogEntry.objects.filter(action=AccessAction.LOGIN_LOCKED, at__gte=since)
            .values("username", "origin").annotate(last=Max("at")).order_by("-last")[:RECENT_LOCKOUTS])
    seen, found = set(), []
    for row in rows:
        name = auth.normalise_username(row["username"])
        if name and ("user", name) not in seen and auth.is_name_locked(name):
            seen.add(("user", name))
            found.append({"kind": "username", "value": name, "last": row["last"]})
        if row["origin"] and ("ip", row["origin"]) not in seen and auth.is_address_locked(row["origin"]):
            seen.add(("ip", row["origin"]))
            found.append({"kind": "address", "value": row["origin"], "last": row["last"]})
    return found


def staff_overview() -> list[dict]:
    users = list(enrolment.staff_users())
    bound = set(TOTPDevice.objects.filter(user__in=users, confirmed=True).values_list("user_id", flat=True))
    pending = set(TOTPDevice.objects.filter(user__in=users, confirmed=False).values_list("user_id", flat=True))
    codes = set(StaticToken.objects.filter(device__user__in=users).values_list("device__user_id", flat=True))
    return [{"user": user, "bound": user.pk in bound, "pending": user.pk in pending, "codes": user.pk in codes}
            for user in users]


class SecurityView(StaffView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and enrolment.is_staff_user(request.user) \
                and not enrolment.can_manage_logins(request.user):
            return render_error(request, 403, _("Deze pagina is voor het secretariaat."))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *, lift_form=None, link_form=None, status=200):
        context = {
            "nav": "security",
            "lockouts": recent_lockouts(),
            "staff": staff_overview(),
            "lift_form": lift_form or LiftLockoutForm(prefix="lift"),
            "link_form": link_form or EnrolmentLinkForm(prefix="link"),
            "errors": error_summary(lift_form, link_form),
            "lockout_minutes": settings.LOGIN_LOCKOUT_SECONDS // 60,
            "link_hours": settings.TWO_FACTOR_ENROLMENT_HOURS,
        }
        return render(request, "workflow/security.html", context, status=status)

    def post(self, request):
        action = request.POST.get("action")
        if action == "lift":
            form = LiftLockoutForm(request.POST, prefix="lift")
            if not form.is_valid():
                return self.get(request, lift_form=form, status=400)
            lifted = auth.lift_lockout(actor=request.user, request=request, username=form.cleaned_data["username"],
                                       address=form.cleaned_data["address"] or "")
            messages.success(request, _("Blokkade opgeheven voor: %(what)s.") % {
                "what": ", ".join(what.split(":", 1)[1] for what in lifted)})
            return redirect("workflow:security")
        if action == "link":
            form = EnrolmentLinkForm(request.POST, prefix="link")
            if form.is_valid():
                user = form.cleaned_data["user"]
                try:
                    enrolment.enrolment_start(user=user, actor=request.user, request=request)
                except ValueError as exc:
                    form.add_error("user", str(exc))
                else:
                    messages.success(request, _("Instellink verstuurd naar %(name)s (%(email)s).") % {
                        "name": user.get_full_name() or user.get_username(), "email": user.email})
                    return redirect("workflow:security")
            return self.get(request, link_form=form, status=400)
        return self.get(request, status=400)
