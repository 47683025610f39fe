"""Entry script of the PyInstaller bundle: the same as the `ema-desktop` command.

PyInstaller needs a script, not a console_scripts entry point; this one only hands over to
`ema_desktop.app.main()`, so the bundle and the installed command behave alike.
"""

import sys

from ema_desktop.app import main

if __name__ == "__main__":
    sys.exit(main())
