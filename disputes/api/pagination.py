"""Cursor pagination (docs/api.md): a page of ``page_size`` (default 50, at most 100) and ``next``/``previous`` links
with an opaque cursor, in an order fixed by a unique key, so a page never skips or repeats a row when rows are added
meanwhile; the events feed runs by id, oldest first, so a connected system keeps its cursor and asks again."""

from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination


class IdCursorPagination(CursorPagination):
    ordering = ("id",)
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100

    def decode_cursor(self, request):
        cursor = super().decode_cursor(request)
        if cursor is not None and cursor.position is not None and "\x00" in str(cursor.position):
            raise NotFound(self.invalid_cursor_message)  # PostgreSQL refuses a NUL in a string: not a 500
        return cursor


class CaseCursorPagination(IdCursorPagination):
    #: the case number is unique and rises with time (GPA-<year>-<number>); its unique index serves the page
    ordering = ("case_number",)


class DocumentCursorPagination(IdCursorPagination):
    ordering = ("uploaded_at", "id")
