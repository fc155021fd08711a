"""Chat: messages and GIFs inside a room."""
