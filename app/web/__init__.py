"""The web layer: error answers, languages, request bodies."""
