"""``python -m abeja_models``: the ``abeja-models`` command."""

import sys

from .cli import main

sys.exit(main())
