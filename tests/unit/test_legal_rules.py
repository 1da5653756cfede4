"""docs/legal-rules.md is generated from disputes/legal_rules.py, and every reference in it is real."""

import ast
import importlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from disputes.legal_rules import RULES
from disputes.management.commands import legal_rules_doc

BASE = Path(settings.BASE_DIR)


def test_legal_rules_md_is_generated_from_the_table():
    """Run `python manage.py legal_rules_doc` after changing disputes/legal_rules.py."""
    assert legal_rules_doc.doc_path().read_text(encoding="utf-8") == legal_rules_doc.render(), (
        legal_rules_doc.OUT_OF_DATE
    )


def test_the_check_fails_on_a_stale_file(tmp_path, monkeypatch):
    path = tmp_path / "legal-rules.md"
    monkeypatch.setattr(legal_rules_doc, "doc_path", lambda: path)
    call_command("legal_rules_doc")
    call_command("legal_rules_doc", "--check")
    path.write_text(path.read_text(encoding="utf-8").replace("Atw", "ATW"), encoding="utf-8")
    with pytest.raises(CommandError, match="out of date"):
        call_command("legal_rules_doc", "--check")


def test_every_rule_has_a_unique_key_a_source_code_and_a_test():
    keys = [rule.key for rule in RULES]
    assert len(keys) == len(set(keys)), "duplicate keys"
    for rule in RULES:
        assert rule.rule and rule.source and rule.code and rule.tests, rule.key


def resolve(dotted: str):
    """A module attribute (or a module) by its dotted path, e.g. disputes.atw.compute_term."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            target = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for name in parts[cut:]:
            target = getattr(target, name)
        return target
    raise ModuleNotFoundError(dotted)


@pytest.mark.parametrize("reference", sorted({ref for rule in RULES for ref in rule.code}))
def test_every_code_reference_imports(reference):
    assert resolve(reference) is not None


def _test_names(path: Path) -> set[str]:
    """The pytest node names a test file defines: ``test_x`` and ``Class::test_x``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test"):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            names |= {f"{node.name}::{item.name}" for item in node.body
                      if isinstance(item, ast.FunctionDef) and item.name.startswith("test")}
    return names


@pytest.mark.parametrize("node_id", sorted({ref for rule in RULES for ref in rule.tests}))
def test_every_test_reference_names_a_test(node_id):
    path, _, name = node_id.partition("::")
    assert (BASE / path).is_file(), f"{path} does not exist"
    assert name in _test_names(BASE / path), f"{node_id} names no test"


def test_a_missing_test_is_found(tmp_path):
    """The reference check can fail: a name that is not defined is not among the file's tests."""
    sample = tmp_path / "test_sample.py"
    sample.write_text("def test_here():\n    pass\n\nclass TestGroup:\n    def test_inner(self):\n        pass\n")
    assert _test_names(sample) == {"test_here", "TestGroup::test_inner"}
    with pytest.raises(AttributeError):
        resolve("disputes.atw.no_such_function")
