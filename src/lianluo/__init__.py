"""Lianluo (联络): people's-congress deputy liaison platform."""
