"""Kibana saved objects for the talkwatch indices, and the client that imports them."""
