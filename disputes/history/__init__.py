"""The history of who may see what: party organisations, their memberships and staff roles (docs/audit.md).

Which cases a party user sees follows from ``Membership``; what staff see and may do follows from their
Django groups (``StaffRole``; a commission seat is membership of ``commission_member`` or
``commission_chair``). django-simple-history keeps a version of each such row on every change, with the
user who made it, the time and the request or command it came through (ADR 0015). The tables are
append-only: through the ORM here, in the admin (read-only), and on PostgreSQL by the grants of
``disputes.dbroles`` (``APPEND_ONLY_APPS``).
"""
