"""Allow ``python -m custcentric``."""

import sys

from custcentric.cli import main

if __name__ == "__main__":
    sys.exit(main())
