"""Messages about a case to customers and channel systems, sent from a transactional outbox."""
