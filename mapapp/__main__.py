"""`python -m mapapp` runs the command line, as the console script does."""

from mapapp.cli import main

main()
