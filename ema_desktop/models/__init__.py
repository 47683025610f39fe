"""Qt item models the panes show: customers, stations, telemetry, tickets, privacy requests."""
