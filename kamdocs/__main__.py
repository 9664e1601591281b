"""``python -m kamdocs`` runs the CLI, for environments without the script on PATH."""

from kamdocs.cli import main

main()
