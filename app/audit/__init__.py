"""Who changed what, when and from where: written in the same transaction as the change."""
