"""Entry point of the frozen app (PyInstaller runs this file; `tierdesk = tierdesk.cli:main` elsewhere)."""

import multiprocessing
import os
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    # A windowed Windows/macOS build has no console: give print() somewhere harmless to go.
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115

    from tierdesk.cli import main

    raise SystemExit(main())
