"""The visitor's own settings: display name, colours and language, and who hears of them."""
