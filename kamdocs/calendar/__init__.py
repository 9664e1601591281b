"""Dates: "today" (the one clock), review intervals, fiscal years. Imports nothing of kamdocs."""
