"""Rooms: the lobby, creating, entering and deleting rooms."""
