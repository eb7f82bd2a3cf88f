"""E-mail (MIME) and SMS from channel systems, landing on cases as interactions and photos."""
