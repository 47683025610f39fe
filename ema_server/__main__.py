"""`python -m ema_server` is `ema-server`."""

import sys

from ema_server.cli import main

sys.exit(main())
