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
