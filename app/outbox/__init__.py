"""Events written in the same transaction as the change that caused them, delivered after commit."""
