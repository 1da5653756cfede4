"""The private viewflow calls the flow relies on (ADR 0009, addendum), pinned to the installed version.

``workflow/sync.py`` runs the ``route`` gateway again with ``Node._create`` and
``Activation._activate_next``, which are not viewflow's public API. An upgrade that changes them fails here.
"""

import importlib.metadata
import inspect

from viewflow.workflow.activation import Activation
from viewflow.workflow.base import Node


def test_viewflow_is_the_pinned_minor_version():
    assert importlib.metadata.version("django-viewflow").startswith("2.4."), (
        "django-viewflow moved: check workflow/sync.py:_create_missing against the new version (ADR 0009)"
    )


def test_node_create_takes_the_previous_activation_and_a_token():
    parameters = list(inspect.signature(Node._create).parameters)
    assert parameters[:3] == ["self", "prev_activation", "token"]


def test_activate_next_takes_a_set_of_activations_and_completes_them_in_turn():
    parameters = list(inspect.signature(Activation._activate_next).parameters)
    assert parameters == ["self", "activations"]
    source = inspect.getsource(Activation._activate_next)
    for step in ("activate.can_proceed()", "complete.can_proceed()", "create_next()"):
        assert step in source, step
    # the public alternative only starts from a task that is DONE, which a cancelled last task is not
    assert "STATUS.DONE" in inspect.getsource(Activation).split("def activate_next")[0].rsplit("@status", 1)[-1]
