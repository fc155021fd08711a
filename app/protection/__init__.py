"""Protection: rate limits, bounded work before any check, CSRF."""
