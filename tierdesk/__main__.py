"""`python -m tierdesk` runs the command line."""

from tierdesk.cli import main

raise SystemExit(main())
