"""Price lists and the pricing engine."""
