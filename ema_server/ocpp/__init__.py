"""The OCPP endpoint: charging stations connect over WebSocket (OCPP-J 1.6 and 2.0.1), their
messages become device status, charging sessions and telemetry, and operators' remote commands go
back to them.

Modules: ``endpoint`` (the WebSocket route: authentication, subprotocol), ``connection`` (one
station's socket: framing, errors, flood limits, frame log), ``v16``/``v201`` (each version's
messages mapped onto ``ema_server.stations``), ``registry`` (who is connected; sending commands),
``gateway`` (what the API needs from the registry), ``commands`` (the operator command catalogue),
``frames`` (the frame log writer), ``settings``.
"""
