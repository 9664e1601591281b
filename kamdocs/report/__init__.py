"""Many plans rolled up, and every output of the CLI: the roll-up rows, the semantic diff, budget,
scorecard, stakeholders, and their text, JSON, CSV and Markdown."""
