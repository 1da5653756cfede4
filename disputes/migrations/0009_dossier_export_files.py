"""Dossier exports keep their own files (issue 10, item 16).

Before this migration an export's PDF and ZIP were stored as two documents of the case (step
``dossier``, type ``overig``). Now they are fields of ``DossierExport``. This migration:

- renames ``pdf`` / ``zip`` (the foreign keys to those documents) to ``legacy_pdf`` / ``legacy_zip``;
- adds ``pdf_file`` / ``zip_file`` with their SHA-256 and size, and ``pruned_at``;
- points the new fields of every export made before at the stored file of its document (same
  file, same hash: nothing is copied or moved), so old exports download through the same path.

The old document rows stay as they are: documents are never deleted or changed. They are no longer
part of the case, because ``Document.objects.current()`` leaves out step ``dossier`` (case pages,
downloads and dossiers read through it). Pruning an old export clears its fields but keeps a file
that a document still refers to.
"""

from django.db import migrations, models

import disputes.models.document


def adopt_document_files(apps, schema_editor):
    DossierExport = apps.get_model("disputes", "DossierExport")
    exports = DossierExport.objects.filter(models.Q(legacy_pdf__isnull=False) | models.Q(legacy_zip__isnull=False))
    for export in exports.select_related("legacy_pdf", "legacy_zip").iterator():
        fields = []
        for kind in ("pdf", "zip"):
            document = getattr(export, f"legacy_{kind}")
            if document is None:
                continue
            getattr(export, f"{kind}_file").name = document.file.name
            setattr(export, f"{kind}_sha256", document.sha256)
            setattr(export, f"{kind}_size", document.size)
            fields += [f"{kind}_file", f"{kind}_sha256", f"{kind}_size"]
        export.save(update_fields=fields)


class Migration(migrations.Migration):

    dependencies = [
        ("disputes", "0008_access_log_second_factor_and_lockouts"),
    ]

    operations = [
        migrations.RenameField(model_name="dossierexport", old_name="pdf", new_name="legacy_pdf"),
        migrations.RenameField(model_name="dossierexport", old_name="zip", new_name="legacy_zip"),
        migrations.AddField(
            model_name="dossierexport",
            name="pdf_file",
            field=models.FileField(
                blank=True, max_length=200, storage=disputes.models.document.private_storage,
                upload_to=disputes.models.document.export_file_name,
            ),
        ),
        migrations.AddField(
            model_name="dossierexport", name="pdf_sha256", field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name="dossierexport", name="pdf_size", field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="dossierexport",
            name="zip_file",
            field=models.FileField(
                blank=True, max_length=200, storage=disputes.models.document.private_storage,
                upload_to=disputes.models.document.export_file_name,
            ),
        ),
        migrations.AddField(
            model_name="dossierexport", name="zip_sha256", field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name="dossierexport", name="zip_size", field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="dossierexport", name="pruned_at", field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(adopt_document_files, migrations.RunPython.noop),
    ]
