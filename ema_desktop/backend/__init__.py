"""The console's link to ema-server: typed async HTTP client, sign-in tokens and the live event stream (no Qt)."""
