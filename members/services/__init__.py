"""Membership services: institutions and representatives, applications, compliance."""
