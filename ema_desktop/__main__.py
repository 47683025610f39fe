"""`python -m ema_desktop`: the same as the ema-desktop command."""

import sys

from ema_desktop.app import main

sys.exit(main())
