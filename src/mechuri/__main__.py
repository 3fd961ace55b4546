"""Allow ``python -m mechuri`` as well as the ``mechuri`` script."""

from mechuri.cli import main

main()
