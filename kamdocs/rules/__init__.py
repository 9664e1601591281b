"""Judging plans: the checks a schema cannot make, freshness, confidentiality, quality, and the
pipeline that runs them over many files. Every result is a :class:`kamdocs.findings.Finding`."""
