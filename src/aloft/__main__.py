"""``python -m aloft``: the same as the ``aloft`` command."""

import sys

from aloft.cli.main import main

sys.exit(main())
