"""``python -m ema_sim``: the same as the ``ema-sim`` command."""

import sys

from ema_sim.cli import main

sys.exit(main())
