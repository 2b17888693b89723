"""Seller portal pages, one module per section."""
