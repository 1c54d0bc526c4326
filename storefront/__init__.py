"""The customer face: B2B ordering, the customer portal and the sales-rep pages."""
