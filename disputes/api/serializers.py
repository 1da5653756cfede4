"""The API's representations (docs/api.md). Read-only: what a connected system may know of a case, never who
(no person's name, e-mail or account: organisations only, as the parties' timeline shows them)."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import (
    Deadline,
    Dispute,
    DisputeEvent,
    DisputeParty,
    DisputePoint,
    Document,
    DossierExport,
    event_label,
)
from ..states import DisputeState
from . import visibility


class LabelledField(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


def labelled(code: str, label) -> dict:
    return {"code": code, "label": str(label)}


class OrganisationRef(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()


class PartySerializer(serializers.ModelSerializer):
    organisation = OrganisationRef()
    kind = serializers.CharField(source="organisation.kind")
    role = serializers.CharField()
    role_label = serializers.CharField(source="get_role_display")

    class Meta:
        model = DisputeParty
        fields = ["organisation", "kind", "role", "role_label", "responded_at", "withdrawn_at"]


class AdviceSerializer(serializers.Serializer):
    finding = serializers.CharField(allow_blank=True)
    recommendation = serializers.CharField(allow_blank=True)
    admissibility = serializers.CharField(allow_blank=True)


class DecisionSerializer(serializers.Serializer):
    finding = serializers.CharField(allow_blank=True)
    follows_advice = serializers.BooleanField(allow_null=True)
    reason = serializers.CharField(allow_blank=True)
    admissibility = serializers.CharField(allow_blank=True)


class PointSerializer(serializers.ModelSerializer):
    advice = serializers.SerializerMethodField()
    decision = serializers.SerializerMethodField()

    class Meta:
        model = DisputePoint
        fields = ["number", "key", "title", "admissibility", "inadmissibility_reasons", "advice", "decision"]

    @extend_schema_field(AdviceSerializer(allow_null=True))
    def get_advice(self, point):
        if not visibility.advice_shown(self.context["dispute"]):
            return None
        return {"finding": point.advice_finding, "recommendation": point.advice_recommendation,
                "admissibility": point.advice_admissibility}

    @extend_schema_field(DecisionSerializer(allow_null=True))
    def get_decision(self, point):
        if not visibility.decision_shown(self.context["dispute"]):
            return None
        return {"finding": point.decision_finding, "follows_advice": point.decision_follows_advice,
                "reason": point.decision_reason, "admissibility": point.decision_admissibility}


class DeadlineSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display")
    organisation = OrganisationRef(allow_null=True)

    class Meta:
        model = Deadline
        fields = ["kind", "kind_label", "organisation", "starts_on", "due", "closed_at"]


class CaseSerializer(serializers.ModelSerializer):
    state = serializers.SerializerMethodField()
    municipality = OrganisationRef(source="agreement.municipality")
    url = serializers.SerializerMethodField()

    class Meta:
        model = Dispute
        fields = ["id", "url", "case_number", "kind", "title", "state", "municipality", "submitted_at",
                  "decided_at", "ended_at"]

    @extend_schema_field(LabelledField)
    def get_state(self, dispute):
        return labelled(dispute.state, DisputeState(dispute.state).label if dispute.state in DisputeState.values
                        else dispute.state)

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, dispute):
        return self.context["request"].build_absolute_uri(reverse("api:case-detail", args=[dispute.pk]))


class CaseDetailSerializer(CaseSerializer):
    agreement_year = serializers.IntegerField(source="agreement.year")
    parties = PartySerializer(many=True)
    points = serializers.SerializerMethodField()
    deadlines = DeadlineSerializer(many=True)

    class Meta(CaseSerializer.Meta):
        fields = CaseSerializer.Meta.fields + ["arose_on", "agreement_year", "parties", "points", "deadlines"]

    @extend_schema_field(PointSerializer(many=True))
    def get_points(self, dispute):
        return PointSerializer(dispute.points.all(), many=True, context={**self.context, "dispute": dispute}).data


class EventSerializer(serializers.ModelSerializer):
    case = serializers.UUIDField(source="dispute_id")
    case_number = serializers.CharField(source="dispute.case_number")
    label = serializers.SerializerMethodField()
    organisation = OrganisationRef(source="actor_organisation", allow_null=True)

    class Meta:
        model = DisputeEvent
        fields = ["id", "case", "case_number", "kind", "label", "at", "from_state", "to_state", "organisation"]

    def get_label(self, event) -> str:
        return event_label(event.kind)


class DocumentSerializer(serializers.ModelSerializer):
    type = serializers.CharField(source="doc_type")
    type_label = serializers.CharField(source="get_doc_type_display")
    name = serializers.CharField(source="display_name")
    case = serializers.UUIDField(source="dispute_id")
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = ["id", "case", "type", "type_label", "name", "content_type", "size", "page_count", "sha256",
                  "confidentiality", "uploaded_at", "submitted_at", "download_url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, document):
        return self.context["request"].build_absolute_uri(reverse("api:document-download", args=[document.pk]))


class ExportFileSerializer(serializers.Serializer):
    file = serializers.CharField()
    size = serializers.IntegerField(allow_null=True)
    sha256 = serializers.CharField()
    url = serializers.URLField()


class ExportSerializer(serializers.ModelSerializer):
    case = serializers.UUIDField(source="dispute_id")
    status_label = serializers.CharField(source="get_status_display")
    pruned = serializers.SerializerMethodField()
    downloads = serializers.SerializerMethodField()

    class Meta:
        model = DossierExport
        fields = ["id", "case", "audience", "case_version", "status", "status_label", "progress", "pages",
                  "requested_at", "started_at", "finished_at", "pruned", "downloads"]

    def get_pruned(self, export) -> bool:
        return export.pruned_at is not None

    @extend_schema_field(ExportFileSerializer(many=True))
    def get_downloads(self, export):
        if not export.available:
            return []
        url = self.context["request"].build_absolute_uri(reverse("api:export-download", args=[export.pk]))
        return [{"file": kind, "size": getattr(export, f"{kind}_size"), "sha256": getattr(export, f"{kind}_sha256"),
                 "url": f"{url}?file={kind}"} for kind in ("pdf", "zip")]
