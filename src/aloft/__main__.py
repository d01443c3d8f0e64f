"""``python -m aloft``: the same as the ``aloft`` command."""

import sys

from aloft.cli.entry import main

sys.exit(main())
