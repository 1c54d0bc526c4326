"""Payments: card payments through Stripe (PaymentIntents, webhooks, refunds) as pure rules and services."""
