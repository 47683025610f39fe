"""Simulated OCPP charging stations that drive ema-server: built in a later issue."""
