"""The case timeline in words: every audit-event kind as a Dutch sentence, never a code."""

from datetime import date, datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ..models import DeadlineKind, DocumentType, EffortKind, InadmissibilityReason
from ..termwords import format_date

FIELD_LABELS = {
    "kind": gettext_lazy("soort geschil"), "agreement": gettext_lazy("prestatieafspraken"),
    "parties": gettext_lazy("partijen"), "arose_on": gettext_lazy("datum ontstaan"),
    "title": gettext_lazy("korte omschrijving"),
}
OTHER_FIELD = gettext_lazy("een ander gegeven")


def fields_in_words(fields) -> str:
    """The fields a ``draft_updated`` event names, in words ("korte omschrijving, partijen"), never a field name:
    one this table does not know (from a later version) reads as "een ander gegeven"."""
    words = []
    for name in fields if isinstance(fields, list | tuple) else []:
        label = FIELD_LABELS.get(name, OTHER_FIELD)
        if str(label) not in words:
            words.append(str(label))
    return ", ".join(words)


def _effort_kind(code: str) -> str:
    try:
        return str(EffortKind(code).label)
    except ValueError:
        return _("logboekregel")


def _org(event) -> str:
    if event.actor_organisation_id:
        if event.payload.get("representative"):  # a gemachtigde acted for the organisation
            return _("%(person)s namens %(organisation)s") % {"person": event.payload["representative"],
                                                              "organisation": event.actor_organisation.name}
        return event.actor_organisation.name
    return _("het secretariaat") if event.actor_id else _("het systeem")


def _doc_type(code: str) -> str:
    try:
        return str(DocumentType(code).label)
    except ValueError:
        return _("document")


def _day(text: str) -> str:
    try:
        return format_date(date.fromisoformat(text[:10]))
    except (TypeError, ValueError):
        return ""


def _moment(text: str) -> str:
    try:
        moment = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return ""
    return f"{format_date(moment.date())} {moment:%H:%M}"


def describe(event, points: dict | None = None) -> str:
    """One sentence for one event, as a party or staff member reads it in the timeline.

    ``points`` maps point keys to their number and title ("1 (Huurverhoging)"), so an event about
    a point names it as the parties know it.
    """
    p = event.payload or {}

    def point_name(key: str) -> str:
        return (points or {}).get(key, key)

    org = _org(event)
    kind = event.kind
    texts = {
        "drafted": lambda: _("Concept aangemaakt door %(org)s.") % {"org": org},
        "draft_updated": lambda: _("Concept bijgewerkt (%(fields)s).") % {
            "fields": fields_in_words(p.get("fields", [])) or _("geen wijzigingen")},
        "draft_points_changed": lambda: _("Geschilpunten in het concept bijgewerkt."),
        "submit": lambda: _("Verzoek ingediend door %(org)s; zaaknummer %(case)s.") % {
            "org": org, "case": event.dispute.case_number or ""},
        "start_review": lambda: _("Het secretariaat is begonnen met de beoordeling van de ontvankelijkheid."),
        "request_remedy": lambda: _("Het secretariaat heeft gevraagd het verzoek aan te vullen: %(reason)s") % {
            "reason": p.get("reason", "")} + ((" " + _("Gevraagde stukken: %(types)s.") % {
                "types": ", ".join(_doc_type(t) for t in p["documents"])}) if p.get("documents") else ""),
        "documents_submitted": lambda: ngettext(
            "%(org)s heeft %(count)d stuk toegevoegd aan het dossier: %(types)s.",
            "%(org)s heeft %(count)d stukken toegevoegd aan het dossier: %(types)s.", len(p.get("types", [])),
        ) % {"org": org, "count": len(p.get("types", [])), "types": ", ".join(_doc_type(t) for t in p.get("types", []))}
        + ((" " + _("Toelichting: %(note)s") % {"note": p["note"]}) if p.get("note") else ""),
        "supply_remedy": lambda: _("Het verzoek is aangevuld door %(org)s.") % {"org": org},
        "lapse_remedy": lambda: _("De hersteltermijn is verstreken zonder dat het verzoek is aangevuld."),
        "point_admissibility": lambda: _("Geschilpunt %(key)s is beoordeeld: %(result)s.") % {
            "key": point_name(p.get("point", "")),
            "result": _("ontvankelijk") if p.get("admissibility") == "admissible" else _("niet-ontvankelijk")},
        "pass_admissibility": lambda: _("Het verzoek is ontvankelijk; het secretariaat toetst nu de inspanningen."),
        "efforts_assessed": lambda: (_("De inspanningen van partijen zijn voldoende bevonden.") if p.get("sufficient")
                                     else _("De inspanningen van partijen zijn onvoldoende bevonden.")),
        "accept": lambda: _("Het geschil is in behandeling genomen; de verweerders kunnen verweer voeren."),
        "declare_inadmissible": lambda: _("Het verzoek is niet-ontvankelijk verklaard: %(reasons)s.") % {
            "reasons": "; ".join(_reason(r) for r in p.get("reasons", []))},
        "responded": lambda: _("%(org)s heeft verweer ingediend.") % {"org": org},
        "late_response_allowed": lambda: _("Het secretariaat heeft %(org)s toegestaan later verweer in te dienen.")
        % {"org": p.get("organisation", "")},
        "close_responses": lambda: _("De verweerronde is gesloten."),
        "request_information": lambda: _("Het secretariaat heeft %(party)s om inlichtingen gevraagd.") % {
            "party": p.get("party", "")},
        "information_answered": lambda: (
            _("%(party)s heeft de vraag om inlichtingen beantwoord (na de termijn).") if p.get("late")
            else _("%(party)s heeft de vraag om inlichtingen beantwoord.")) % {"party": p.get("party", "")},
        "schedule_hearing": lambda: _("Hoorzitting gepland op %(when)s%(place)s.") % {
            "when": _moment(p.get("hearing_at", "")),
            "place": (_(" in %(place)s") % {"place": p["place"]}) if p.get("place") else ""},
        "hearing_rescheduled": lambda: _("De hoorzitting is verplaatst naar %(when)s%(place)s. Reden: %(reason)s") % {
            "when": _moment(p.get("hearing_at", "")),
            "place": (_(" in %(place)s") % {"place": p["place"]}) if p.get("place") else "",
            "reason": p.get("reason", "")},
        "cancel_hearing": lambda: _("De hoorzitting is afgezegd. Reden: %(reason)s") % {"reason": p.get("reason", "")},
        "record_hearing": lambda: _("De hoorzitting heeft plaatsgevonden; het verslag is toegevoegd."),
        "skip_hearing": lambda: _("De voorzitter heeft besloten het geschil schriftelijk af te doen, zonder "
                                  "hoorzitting."),
        "issue_advice": lambda: _("De adviescommissie heeft haar advies uitgebracht aan de Minister."),
        "decide": lambda: _("De Minister heeft een bindende uitspraak gedaan."),
        "extend_decision_term": lambda: _("De beslistermijn is verlengd."),
        "withdraw": lambda: _("Het verzoek is ingetrokken door %(org)s.") % {"org": org},
        "applicant_withdrawn": lambda: _("%(org)s heeft zijn deel van het verzoek ingetrokken; het geschil loopt "
                                         "door voor %(others)s.") % {
            "org": org, "others": ", ".join(p.get("remaining", [])) or _("de andere verzoekers")},
        "settle": lambda: (
            _("De partijen hebben een schikking getroffen, vastgelegd in een vaststellingsovereenkomst die is "
              "ondertekend door %(names)s; het geschil is beëindigd.") if p.get("basis") == "agreement"
            else _("De partijen hebben een schikking getroffen; %(names)s hebben het verzoek daarom ingetrokken. "
                   "Het geschil is beëindigd.") if p.get("basis") == "withdrawal"
            else _("De partijen hebben een schikking getroffen; het geschil is beëindigd.")
        ) % {"names": ", ".join(x.get("name", "") for x in p.get("signed_by", []))},
        "close": lambda: _("Het geschil is afgesloten."),
        "document_added": lambda: _("Document toegevoegd door %(org)s: %(name)s (%(type)s).") % {
            "org": org, "name": p.get("name", ""), "type": _doc_type(p.get("type", ""))},
        "document_withdrawn": lambda: _("Document uit het concept gehaald: %(name)s.") % {"name": p.get("name", "")},
        "effort_recorded": lambda: _("%(org)s heeft het overleglogboek aangevuld: %(kind)s van %(date)s.") % {
            "org": org, "kind": _effort_kind(p.get("entry_kind", "")), "date": _day(p.get("occurred_on", ""))},
        "effort_document_added": lambda: _("%(org)s heeft een document toegevoegd aan het overleglogboek: "
                                           "%(name)s (%(type)s).") % {
            "org": org, "name": p.get("name", ""), "type": _doc_type(p.get("type", ""))},
        "reminder": lambda: _("Herinnering verstuurd: de %(deadline)s loopt af op %(due)s.") % {
            "deadline": _deadline(p.get("deadline", "")).lower(), "due": _day(p.get("due", ""))},
        "integrity_failure": lambda: _("Controle mislukt: een opgeslagen document komt niet overeen met de "
                                       "vastgelegde controlewaarde."),
        "recused": lambda: _("Een lid van de adviescommissie heeft zich verschoond."),
        "point_advised": lambda: _("De adviescommissie heeft een bevinding vastgelegd over geschilpunt %(key)s.")
        % {"key": point_name(p.get("point", ""))},
        "point_decided": lambda: _("Over geschilpunt %(key)s is beslist.") % {"key": point_name(p.get("point", ""))},
        "decision_drafted": lambda: _("Een concept-uitspraak is opgesteld."),
        "objection_recorded": lambda: (
            _("Er is bezwaar gemaakt tegen de bindende uitspraak door %(org)s; het bezwaarschrift is ontvangen op "
              "%(date)s. Het geschil blijft open zolang het bezwaar loopt.") if p.get("objector")
            else _("Er is bezwaar gemaakt tegen de bindende uitspraak; het bezwaarschrift is ontvangen op %(date)s. "
                   "Het geschil blijft open zolang het bezwaar loopt.")
        ) % {"org": p.get("objector", ""), "date": _day(p.get("received_on", ""))},
        "decision_corrected": lambda: _("De Minister heeft een kennelijke fout in de bindende uitspraak hersteld "
                                        "(herstelbesluit): %(reason)s") % {"reason": p.get("reason", "")},
        "representation_requested": lambda: _("%(org)s heeft %(name)s aangemeld als gemachtigde; het secretariaat "
                                              "controleert de machtiging.") % {"org": org, "name": p.get("name", "")},
        "representation_approved": lambda: _("Het secretariaat heeft de machtiging van %(name)s namens %(party)s "
                                             "goedgekeurd.") % {"name": p.get("name", ""), "party": p.get("party", "")},
        "representation_refused": lambda: _("Het secretariaat heeft de machtiging van %(name)s namens %(party)s niet "
                                            "aanvaard: %(reason)s") % {"name": p.get("name", ""),
                                                                      "party": p.get("party", ""),
                                                                      "reason": p.get("reason", "")},
        "representation_ended": lambda: _("De machtiging van %(name)s namens %(party)s is beëindigd.") % {
            "name": p.get("name", ""), "party": p.get("party", "")},
    }
    text = texts.get(kind)
    return text() if text else _("Er is een stap gezet in het geschil.")


def _reason(code: str) -> str:
    try:
        return str(InadmissibilityReason(code).label)
    except ValueError:
        return code


def _deadline(code: str) -> str:
    try:
        return str(DeadlineKind(code).label)
    except ValueError:
        return _("termijn")


def timeline(events, points=()) -> list[dict]:
    """``[{"at", "text", "kind"}]`` for a template, oldest first."""
    names = {p.key: f"{p.number} ({p.title})" for p in points}
    return [{"at": e.at, "text": describe(e, names), "kind": e.kind} for e in events]
