"""The class server's users in the UI tests: an instructor and a trainee, as MINUTES_RAG_AUTH_USERS writes them."""

INSTRUCTOR, TRAINEE = ("ann", "ann-pw"), ("bob", "bob-pw")
