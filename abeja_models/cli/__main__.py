"""``python -m abeja_models.cli``: the ``abeja-models`` command."""

import sys

from . import main

sys.exit(main())
