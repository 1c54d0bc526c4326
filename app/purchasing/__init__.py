"""Suppliers, their price lists, requests for quotation, purchase orders and supplier bills."""
