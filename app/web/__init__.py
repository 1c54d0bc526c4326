"""HTTP plumbing both faces share: context, transactions, templates, errors, headers."""
