"""English as the second language: the committed catalogue is complete, consistent and compiled.

The Dutch text is the msgid (docs/adr/0007-dutch-source-strings.md); locale/en/LC_MESSAGES/django.po holds
the English, and the compiled django.mo is committed so that the product runs where msgfmt is missing.
The .po is parsed by a small reader below (no extra dependency). Extracting the msgids again needs GNU
gettext (xgettext, msguniq); that test and the msgfmt check are skipped on a machine without it.
"""

import gettext
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.commands import makemessages
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]  # the project folder (settings.BASE_DIR)
LOCALE = ROOT / "locale"
PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"
MO = LOCALE / "en" / "LC_MESSAGES" / "django.mo"

#: the folders the catalogue is made without (`manage.py makemessages -l en --ignore=...`)
IGNORED = [".venv", "node_modules", "var", "tests"]
#: `%(name)s`, `%(start)02d`, `%s`, `%d`; `{{ name }}` of blocktranslate is already `%(name)s` in a .po
PLACEHOLDER = re.compile(r"%\([A-Za-z_]\w*\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[sdifr]")
TAG = re.compile(r"</?[a-zA-Z][^>]*>")
UPDATE = ".venv/bin/python -m tests.integration.test_i18n"
COMPILE = f"msgfmt --check -o {MO.relative_to(ROOT)} {PO.relative_to(ROOT)}"


# -- a small .po reader ----------------------------------------------------------------------------------

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}


def _unquote(text: str) -> str:
    text = text.strip()
    assert text.startswith('"') and text.endswith('"'), f"not a quoted .po string: {text!r}"
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), text[1:-1])


def read_po(path: Path) -> list[dict]:
    """Entries as dicts: msgctxt, msgid, msgid_plural, msgstr ({index: text}), flags. Obsolete (#~) skipped.

    Entries are separated by blank lines, as makemessages and msgmerge write them.
    """
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        entry, field = {"flags": set(), "msgstr": {}}, None
        for line in block.splitlines():
            line = line.strip()
            if line.startswith("#,"):
                entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            elif not line or line.startswith("#"):
                continue
            elif line.startswith('"'):
                assert field is not None, f"{path}: continuation without a keyword: {line!r}"
                if isinstance(field, int):
                    entry["msgstr"][field] += _unquote(line)
                else:
                    entry[field] += _unquote(line)
            else:
                keyword, _, rest = line.partition(" ")
                plural = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
                if plural or keyword == "msgstr":
                    field = int(plural.group(1)) if plural else 0
                    entry["msgstr"][field] = _unquote(rest)
                elif keyword in ("msgctxt", "msgid", "msgid_plural"):
                    field = keyword
                    entry[keyword] = _unquote(rest)
                else:
                    raise AssertionError(f"{path}: unexpected line {line!r}")
        if "msgid" in entry:
            entries.append(entry)
    return entries


def messages(path: Path) -> list[dict]:
    """The translatable entries: everything but the header."""
    return [e for e in read_po(path) if e["msgid"] != "" or e.get("msgctxt")]


def key(entry: dict) -> tuple:
    return entry.get("msgctxt"), entry["msgid"]


def label(entry: dict) -> str:
    return repr(entry["msgid"][:80])


@pytest.fixture(scope="module")
def catalogue() -> list[dict]:
    assert PO.is_file(), f"{PO} is missing: run {UPDATE}"
    return messages(PO)


# -- (a) complete: nothing untranslated or fuzzy -------------------------------------------------------------


def test_the_catalogue_has_entries(catalogue):
    assert len(catalogue) > 1000


def test_every_message_is_translated_and_none_is_fuzzy(catalogue):
    header = next(e for e in read_po(PO) if e["msgid"] == "" and not e.get("msgctxt"))
    assert "fuzzy" not in header["flags"], "the header is marked fuzzy: msgfmt would ignore its charset"
    assert "Language: en" in header["msgstr"][0]
    fuzzy = [label(e) for e in catalogue if "fuzzy" in e["flags"]]
    assert not fuzzy, f"{len(fuzzy)} fuzzy entries: {fuzzy[:10]}"
    plural_forms = 2  # Plural-Forms: nplurals=2 for English
    empty = [
        label(e)
        for e in catalogue
        if not e["msgstr"]
        or any(not text.strip() for text in e["msgstr"].values())
        or ("msgid_plural" in e and sorted(e["msgstr"]) != list(range(plural_forms)))
    ]
    assert not empty, f"{len(empty)} untranslated entries: {empty[:10]}"


def test_no_message_is_left_in_dutch(catalogue):
    """A translation equal to a long Dutch msgid is a copy, not a translation (short ones like 'PDF' may be)."""
    copies = [label(e) for e in catalogue if len(e["msgid"]) > 12 and e["msgstr"].get(0) == e["msgid"]]
    assert not copies, copies


# -- (b) placeholders and markup survive ---------------------------------------------------------------------


def test_placeholders_and_tags_in_each_translation_match_the_msgid(catalogue):
    wrong = []
    for e in catalogue:
        sources = [e["msgid"], e.get("msgid_plural", e["msgid"])]
        for index, text in e["msgstr"].items():
            source = sources[min(index, 1)]
            if "msgid_plural" in e and index == 0:
                # a singular may leave the count out ('one file'), never add a name
                ok = set(PLACEHOLDER.findall(text)) <= set(PLACEHOLDER.findall(source))
            else:
                ok = sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(source))
            if not ok or sorted(TAG.findall(text)) != sorted(TAG.findall(source)):
                wrong.append((e["msgid"][:60], text[:60]))
    assert not wrong, wrong


# -- (c) the committed .mo is the compiled .po ---------------------------------------------------------------


def _mo_catalog(path: Path) -> dict:
    with path.open("rb") as handle:
        return dict(gettext.GNUTranslations(handle)._catalog)


def _po_catalog(entries: list[dict]) -> dict:
    """What msgfmt puts in a .mo: translated, non-fuzzy entries; plural forms keyed by (msgid, n)."""
    result = {}
    for e in entries:
        if "fuzzy" in e["flags"] or not all(e["msgstr"].values()):
            continue
        msgid = e["msgid"] if not e.get("msgctxt") else f"{e['msgctxt']}\x04{e['msgid']}"
        if "msgid_plural" in e:
            for index, text in e["msgstr"].items():
                result[(msgid, index)] = text
        else:
            result[msgid] = e["msgstr"][0]
    return result


def test_the_committed_mo_holds_exactly_the_translations_of_the_po(catalogue):
    assert MO.is_file(), f"{MO} is missing: run {COMPILE} (and commit the .mo)"
    compiled = _mo_catalog(MO)
    compiled.pop("", None)  # the header
    expected = _po_catalog(catalogue)
    stale = sorted(str(k)[:70] for k in expected if compiled.get(k) != expected[k])
    extra = sorted(str(k)[:70] for k in compiled if k not in expected)
    assert not stale and not extra, (
        f"django.mo is out of date; run: {COMPILE}  (differs: {stale[:5]}, only in .mo: {extra[:5]})"
    )


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="GNU gettext (msgfmt) is not installed")
def test_msgfmt_accepts_the_po_and_compiles_it_to_the_committed_mo(tmp_path):
    target = tmp_path / "django.mo"
    result = subprocess.run(
        ["msgfmt", "--check", "-o", str(target), str(PO)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert _mo_catalog(target) == _mo_catalog(MO), f"django.mo is out of date; run: {COMPILE}"


# -- (d) the interface speaks English on request, Dutch by default -------------------------------------------


@pytest.mark.django_db
def test_the_log_in_page_is_dutch_by_default(client):
    body = client.get(reverse("login")).content.decode()
    assert '<html lang="nl">' in body
    assert "<h1>Inloggen</h1>" in body and "Wachtwoord" in body
    assert "<h1>Log in</h1>" not in body and "Password" not in body


@pytest.mark.django_db
def test_the_log_in_page_is_english_for_a_browser_that_asks_for_english(client):
    body = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content.decode()
    assert '<html lang="en">' in body
    assert "<h1>Log in</h1>" in body and "Password" in body and "Log in to view your organisation" in body
    assert "Inloggen" not in body and "Wachtwoord" not in body


@pytest.mark.django_db
def test_the_language_switch_changes_the_language_and_keeps_it(client):
    login = reverse("login")
    page = client.get(login).content.decode()
    assert f'action="{reverse("set_language")}"' in page
    assert '<option value="en" lang="en">English</option>' in page
    assert '<label for="site-language"' in page  # the select has an accessible name
    response = client.post(reverse("set_language"), {"language": "en"}, HTTP_REFERER=f"http://testserver{login}")
    assert response.status_code == 302 and response["Location"].endswith(login)  # back to the page it came from
    body = client.get(login).content.decode()
    assert '<html lang="en">' in body and "<h1>Log in</h1>" in body
    assert '<option value="en" lang="en" selected>English</option>' in body
    client.post(reverse("set_language"), {"language": "nl"})
    assert "<h1>Inloggen</h1>" in client.get(login).content.decode()


def test_english_is_used_for_the_messages_in_python_code():
    from django.utils import translation

    from disputes.models import DisputeKind

    with translation.override("en"):
        assert str(DisputeKind.TOTSTANDKOMING.label) == "Conclusion of performance agreements"
        assert translation.ngettext("%(n)d dag verstreken", "%(n)d dagen verstreken", 3) % {"n": 3} == (
            "3 days overdue"
        )
    with translation.override("nl"):
        assert str(DisputeKind.TOTSTANDKOMING.label) == "Totstandkoming van prestatieafspraken"


# -- (e) every msgid in the code is in the committed catalogue -----------------------------------------------


class _MakeMessages(makemessages.Command):
    """Django's makemessages as `manage.py makemessages -l en` runs it (kept as a class to extend)."""


def _copy_sources(target: Path) -> None:
    """The files makemessages reads (py, html, txt), outside the ignored folders and any locale folder."""
    skip = set(IGNORED) | {"locale"}
    for folder, subfolders, files in os.walk(ROOT):
        subfolders[:] = [name for name in subfolders if name not in skip and not name.startswith(".")]
        for name in files:
            if name.endswith((".py", ".html", ".txt")):
                relative = Path(folder, name).relative_to(ROOT)
                (target / relative).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(ROOT / relative, target / relative)


@pytest.mark.skipif(
    not (shutil.which("xgettext") and shutil.which("msguniq")),
    reason="GNU gettext (xgettext, msguniq) is not installed; CI installs it (apt-get install -y gettext)",
)
def test_every_message_in_the_code_and_templates_is_in_the_committed_po(catalogue, tmp_path, monkeypatch, settings):
    """makemessages on a copy of the sources, into a temporary locale folder: the real one is never touched."""
    source = tmp_path / "src"
    _copy_sources(source)
    settings.LOCALE_PATHS = [str(source / "locale")]
    monkeypatch.chdir(source)
    call_command(_MakeMessages(), locale=["en"], ignore_patterns=list(IGNORED), verbosity=0)
    extracted = messages(source / "locale" / "en" / "LC_MESSAGES" / "django.po")
    assert len(extracted) > 1000
    committed = {key(e) for e in catalogue}
    missing = [label(e) for e in extracted if key(e) not in committed]
    assert not missing, (
        f"{len(missing)} message(s) in the code are not in locale/en/LC_MESSAGES/django.po; run {UPDATE}, "
        f"translate them (no fuzzy, no empty msgstr) and run {COMPILE}: {missing[:10]}"
    )


def update_catalogue() -> None:
    """``python -m tests.integration.test_i18n``: makemessages -l en (with N_), keeping the translations."""
    call_command(_MakeMessages(), locale=["en"], ignore_patterns=list(IGNORED), verbosity=1)


if __name__ == "__main__":
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.chdir(ROOT)
    django.setup()
    update_catalogue()
    print(f"Now translate the new entries in {PO.relative_to(ROOT)} and run: {COMPILE}")
