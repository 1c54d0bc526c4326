"""Staff users, customer companies and their users, roles, sessions and sign-in."""
