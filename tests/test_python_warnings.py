"""The suite's warning filters (``filterwarnings`` in ``pyproject.toml``).

A deprecation raised from the package's own modules is an error, so an API we
use is replaced when its deprecation starts; another package's is not ours.
"""

from __future__ import annotations

import warnings

import pytest
from sphinx.deprecation import RemovedInNextVersionWarning


@pytest.mark.parametrize(
    "category", [DeprecationWarning, PendingDeprecationWarning, RemovedInNextVersionWarning]
)
def test_a_deprecation_from_our_modules_is_an_error(category: type[Warning]) -> None:
    with pytest.raises(category):
        warnings.warn_explicit(
            "old API", category, "prose.py", 1, module="sphinx_official_images.render.prose"
        )


def test_a_deprecation_from_another_package_is_not(recwarn: pytest.WarningsRecorder) -> None:
    warnings.warn_explicit("old API", DeprecationWarning, "other.py", 1, module="other_package")
    assert [str(w.message) for w in recwarn] == ["old API"]
