"""The OpenAPI description's parts that drf-spectacular cannot infer (docs/api.md): the bearer key as security
scheme, and the problem+json answers of every operation."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from .problems import PROBLEM_SCHEMA, PROBLEM_TYPE


class ApplicationKeyScheme(OpenApiAuthenticationExtension):
    target_class = "disputes.api.authentication.ApplicationKeyAuthentication"
    name = "applicationKey"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "bearerFormat": "gpa_<prefix>_<secret>",
                "description": "De sleutel van een gekoppelde applicatie (docs/api.md): Authorization: Bearer gpa_…"}


def problems(*codes: int) -> dict:
    """The error answers of an operation (401, 403, 429 always), as problem+json."""
    wanted = sorted({401, 403, 429, *codes})
    return {(code, PROBLEM_TYPE): OpenApiResponse(response=PROBLEM_SCHEMA) for code in wanted}


def binary(*media_types: str) -> dict:
    return {(200, media_type): OpenApiResponse(response=OpenApiTypes.BINARY) for media_type in media_types}


#: the header every write needs (disputes/api/idempotency.py)
IDEMPOTENCY_KEY = OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=True,
                                   description="1 to 100 printable ASCII characters (docs/api.md, Schrijven)")
