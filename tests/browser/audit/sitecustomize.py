"""Record every network call a test server and its kernels make (Python's audit hooks, PEP 578).

The browser tests start JupyterLab and Voilà with this folder on ``PYTHONPATH`` and
``PLKIT_CONNECTIONS_LOG`` naming a file: every Python process they start (the server, its
kernels) then appends one JSON line per name lookup, connection or datagram to that file, e.g.
``{"pid": 12, "event": "socket.connect", "host": "127.0.0.1", "port": 8888}``. The privacy test
reads it. Without ``PLKIT_CONNECTIONS_LOG`` this module does nothing.
"""

import contextlib
import json
import os
import sys

_LOG = os.environ.get("PLKIT_CONNECTIONS_LOG")
# socket.connect covers connect and connect_ex; sendto and sendmsg cover datagrams
_ADDRESS_EVENTS = {"socket.connect": 1, "socket.sendto": 2}
_NAME_EVENTS = {"socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex",
                "socket.gethostbyaddr"}


def _record(event: str, args: tuple) -> None:
    if event in _ADDRESS_EVENTS:
        address = args[_ADDRESS_EVENTS[event]] if len(args) > _ADDRESS_EVENTS[event] else None
    elif event == "socket.sendmsg":
        address = args[1] if len(args) > 1 else None
    elif event in _NAME_EVENTS:
        address = (args[0], args[1] if len(args) > 1 else None)
    else:
        return
    if isinstance(address, tuple) and address:
        host, port = address[0], address[1] if len(address) > 1 else None
    else:  # a Unix socket's path, or nothing
        host, port = address, None
    if isinstance(host, bytes):
        host = host.decode("utf-8", "replace")
    line = json.dumps({"pid": os.getpid(), "event": event,
                       "host": host if host is None or isinstance(host, (str, int)) else str(host),
                       "port": port if port is None or isinstance(port, (str, int)) else str(port)})
    # os.open/os.write: one short append per line, safe across processes
    fd = os.open(_LOG, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, (line + "\n").encode())
    finally:
        os.close(fd)


def _hook(event: str, args: tuple) -> None:
    if event.startswith("socket."):
        with contextlib.suppress(Exception):  # a hook must never break the process it watches
            _record(event, args)


if _LOG:
    sys.addaudithook(_hook)
