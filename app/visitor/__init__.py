"""The visitor: identity (colour, handle, private key), sessions, display names."""
