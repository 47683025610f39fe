"""The baseline of the OCPP load benchmark: a bare WebSocket server that answers every OCPP-J CALL
with an empty CALLRESULT `[3, id, {}]` and does nothing else (no authentication, no database).

Run as its own process, as the EMA server is: `python -m bench.ocpp_echo --port 0` prints
"echo listening on ws://HOST:PORT" and serves until SIGTERM or SIGINT.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal

from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.typing import Subprotocol

CALL, CALL_RESULT = 2, 3


async def answer(socket: ServerConnection) -> None:
    try:
        async for text in socket:
            try:
                message = json.loads(text)
            except ValueError:
                continue
            if isinstance(message, list) and len(message) > 1 and message[0] == CALL:
                await socket.send(json.dumps([CALL_RESULT, message[1], {}], separators=(",", ":")))
    except ConnectionClosed:
        return


async def main(host: str, port: int) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    # The same listen backlog as `ema-server serve`, so a burst of connects is queued alike.
    async with serve(answer, host, port, subprotocols=[Subprotocol("ocpp1.6")], backlog=512) as server:
        bound_host, bound_port = next(iter(server.sockets)).getsockname()[:2]
        print(f"echo listening on ws://{bound_host}:{bound_port}", flush=True)
        await stop.wait()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m bench.ocpp_echo")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    asyncio.run(main(args.host, args.port))
