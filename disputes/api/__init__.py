"""The API for connected systems at ``/api/v1/`` (issue 18, docs/api.md): Django REST framework, described by
drf-spectacular, authenticated by an application's scoped key."""
