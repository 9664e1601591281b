"""What git knows: the log of the plans, files at a revision, and when commitments were delivered.
Reads plans, never judges them."""
