"""The only code that changes plan files (review, rollover, new) and writes scaffolding: byte-exact
edits verified by re-parsing, and the CODEOWNERS block."""
