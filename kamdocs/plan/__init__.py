"""One plan file into the model: the hardened loader, safe YAML, schema validation, the frozen model,
and YAML scalars written by hand. Below the rules; above the configuration."""
