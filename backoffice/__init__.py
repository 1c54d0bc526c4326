"""The staff face: every back-office screen."""
