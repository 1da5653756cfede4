"""Subscriptions to change notifications (issue 18, item 5; docs/api.md "Wijzigingen ontvangen (webhooks)").

- ``POST /api/v1/subscriptions/`` ``{"callback_url": "https://…", "kinds": ["decide", …]}``: 201 with the
  subscription and its signing ``secret``, shown this once (with an ``Idempotency-Key``, as every write; a repeat
  answers the subscription again without the secret);
- ``GET /api/v1/subscriptions/``: the application's active subscriptions;
- ``DELETE /api/v1/subscriptions/{id}/``: 204; nothing more is sent to it.

All need the scope ``notifications``; another application's subscription is a 404. The work is
``disputes.services.webhooks``.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from ..errors import NotPermitted
from ..models import ApiScope, WebhookSubscription
from ..services import webhooks
from . import schema
from .idempotency import idempotent
from .permissions import application


class SubscriptionSerializer(serializers.Serializer):
    callback_url = serializers.CharField(max_length=500)
    kinds = serializers.ListField(child=serializers.CharField(max_length=40), required=False, max_length=200)


class SubscriptionOutSerializer(serializers.Serializer):
    """A subscription as the API shows it (the schema's; ``represent`` writes it)."""

    id = serializers.UUIDField()
    url = serializers.URLField()
    callback_url = serializers.CharField()
    kinds = serializers.ListField(child=serializers.CharField())
    created_at = serializers.DateTimeField()
    active = serializers.BooleanField()


class SubscriptionCreatedSerializer(SubscriptionOutSerializer):
    secret = serializers.CharField(required=False, help_text="Shown once: whsec_ and 32 bytes in base64.")


class SubscriptionListSerializer(serializers.Serializer):
    results = SubscriptionOutSerializer(many=True)


def _invalid(exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        return exceptions.ValidationError(exc.message_dict)
    return exceptions.ValidationError({"callback_url": exc.messages})


def represent(request, subscription: WebhookSubscription) -> dict:
    return {
        "id": str(subscription.pk),
        "url": request.build_absolute_uri(reverse("api:subscription-detail", args=[subscription.pk])),
        "callback_url": subscription.callback_url,
        "kinds": list(subscription.kinds),
        "created_at": subscription.created_at.isoformat(),
        "active": subscription.active,
    }


class SubscriptionListView(APIView):
    required_scope = ApiScope.NOTIFICATIONS

    @extend_schema(tags=["subscriptions"], responses={200: SubscriptionListSerializer, **schema.problems()})
    def get(self, request):
        subscriptions = webhooks.subscriptions_of(request.user)
        return Response({"results": [represent(request, s) for s in subscriptions]})

    @extend_schema(tags=["subscriptions"], request=SubscriptionSerializer, parameters=[schema.IDEMPOTENCY_KEY],
                   responses={201: SubscriptionCreatedSerializer, **schema.problems(400, 409)})
    def post(self, request):
        issued = {}

        def write():
            data = SubscriptionSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            try:
                result = webhooks.subscription_add(actor=request.user, **data.validated_data)
            except DjangoValidationError as exc:
                raise _invalid(exc) from exc
            issued["secret"] = result.secret
            body = represent(request, result.subscription)
            return Response(body, status=status.HTTP_201_CREATED,
                            headers={"Location": reverse("api:subscription-detail", args=[result.subscription.pk])})

        response = idempotent(request, write)
        if "secret" in issued:  # the first answer only: the stored (replayed) one never holds the secret
            response.data = {**response.data, "secret": issued["secret"]}
        return response


class SubscriptionDetailView(APIView):
    required_scope = ApiScope.NOTIFICATIONS

    @extend_schema(tags=["subscriptions"], responses={204: None, **schema.problems(404)})
    def delete(self, request, pk):
        subscription = (WebhookSubscription.objects
                        .filter(application=application(request), active=True, pk=pk).first())
        if subscription is None:
            raise Http404
        try:
            webhooks.subscription_remove(actor=request.user, subscription=subscription)
        except NotPermitted as exc:
            raise Http404 from exc
        return Response(status=status.HTTP_204_NO_CONTENT)
