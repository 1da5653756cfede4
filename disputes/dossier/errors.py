"""Why an export can stop."""

from django.utils.translation import gettext as _


class DossierIntegrityError(Exception):
    """A stored file no longer matches the SHA-256 recorded when it was received (or is gone).

    The export stops at once and leaves nothing behind: a dossier that silently contains a
    changed file would be worse than no dossier.
    """

    kind = "integrity"

    def __init__(self, document, *, actual: str = "", missing: bool = False):
        self.document = document
        self.actual = actual
        self.missing = missing
        if missing:
            message = _(
                "Het opgeslagen bestand van document '%(name)s' (%(type)s, id %(id)s) ontbreekt. Het dossier is "
                "niet gemaakt; meld dit bij de beheerder."
            )
        else:
            message = _(
                "Het opgeslagen bestand van document '%(name)s' (%(type)s, id %(id)s) komt niet meer overeen met "
                "het controlegetal (SHA-256) van bij de ontvangst. Het dossier is niet gemaakt; meld dit bij de "
                "beheerder."
            )
        super().__init__(message % {"name": document.display_name, "type": document.get_doc_type_display(),
                                    "id": document.pk})

    @property
    def message(self) -> str:
        return str(self)


class DossierDocumentTooCostlyError(Exception):
    """A stored PDF asks more memory than the limits allow when read (a decompression bomb that got
    into storage past the upload check, which refuses such files). The export stops cleanly rather
    than let one file take the worker down."""

    kind = "limits"

    def __init__(self, document):
        self.document = document
        super().__init__(_(
            "Het opgeslagen bestand van document '%(name)s' (%(type)s, id %(id)s) wordt bij het uitpakken te "
            "groot om veilig te verwerken. Het dossier is niet gemaakt; vervang het document of meld dit bij de "
            "beheerder."
        ) % {"name": document.display_name, "type": document.get_doc_type_display(), "id": document.pk})


class ExportFileIntegrityError(DossierIntegrityError):
    """The stored PDF or ZIP of a finished export no longer matches the SHA-256 recorded when it was
    made (or is gone): it is not served."""

    def __init__(self, export, file_kind: str, *, actual: str = "", missing: bool = False):
        self.document = None
        self.export = export
        self.file_kind = file_kind
        self.actual = actual
        self.missing = missing
        if missing:
            message = _("Het opgeslagen %(kind)s-bestand van dit dossier ontbreekt. Het wordt niet gedownload; meld "
                        "dit bij de beheerder.")
        else:
            message = _("Het opgeslagen %(kind)s-bestand van dit dossier komt niet meer overeen met het controlegetal "
                        "(SHA-256) van bij het maken. Het wordt niet gedownload; meld dit bij de beheerder.")
        Exception.__init__(self, message % {"kind": file_kind.upper()})
