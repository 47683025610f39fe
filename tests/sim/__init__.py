"""Tests of ema-sim, the simulated OCPP station fleet."""
