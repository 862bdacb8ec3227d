"""``python -m sphinx_official_images``: the ``sphinx-official-images`` command."""

from __future__ import annotations

import sys

from sphinx_official_images.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
