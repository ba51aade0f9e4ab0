"""A minimal client of Streamlit's own websocket protocol, for many sessions against one server.

Twenty browser pages on two cores spend most of their time parsing plotly.js, which would swamp what the
server does; the server cannot tell this client from a browser (same `/_stcore/stream` endpoint, same BackMsg
and ForwardMsg protobufs), so sessions, reruns and server memory are the real ones at a fraction of the cost.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

from bench import HOST


@dataclass
class RunResult:
    """One script run as the client saw it: wall time from request to `script_finished`, and the page."""

    seconds: float
    status: str
    bytes_received: int = 0  # ForwardMsg bytes of this run: what the browser must download and render
    elements: dict[tuple[int, ...], tuple[str, object]] = field(default_factory=dict)

    def of_type(self, kind: str) -> list:
        """The element protos of one type (e.g. 'metric', 'code', 'slider', 'plotly_chart'), in page order."""
        return [proto for _, (k, proto) in sorted(self.elements.items()) if k == kind]


class Session:
    """One user: a websocket to the server, a query string, and the widget states the page reported."""

    def __init__(self, port: int, query_string: str = "", headers: dict[str, str] | None = None) -> None:
        self.port = port
        self.query_string = query_string
        self.headers = headers or {}  # e.g. Caddy's stickiness cookie, to pin the session to one replica
        self.ws: websockets.ClientConnection | None = None
        self.page_script_hash = ""
        self.elements: dict[tuple[int, ...], tuple[str, object]] = {}
        self.bytes_received = 0

    async def connect(self) -> None:
        self.ws = await websockets.connect(
            f"ws://{HOST}:{self.port}/_stcore/stream",
            subprotocols=["streamlit"],
            max_size=None,
            open_timeout=30,
            additional_headers=self.headers,
        )

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    async def run(self, widgets: list[WidgetState] | None = None, timeout: float = 120) -> RunResult:
        """Ask for a rerun (with these widget values) and read until the script finishes."""
        assert self.ws is not None, "connect() first"
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query_string
        state.page_script_hash = self.page_script_hash
        for widget in widgets or []:
            state.widget_states.widgets.append(widget)
        start = time.perf_counter()
        received = self.bytes_received
        await self.ws.send(msg.SerializeToString())
        status = await asyncio.wait_for(self._read_until_finished(), timeout)
        elapsed = time.perf_counter() - start
        return RunResult(elapsed, status, self.bytes_received - received, dict(self.elements))

    async def _read_until_finished(self) -> str:
        assert self.ws is not None
        while True:
            data = await self.ws.recv()
            self.bytes_received += len(data)
            fwd = ForwardMsg()
            fwd.ParseFromString(data)
            kind = fwd.WhichOneof("type")
            if kind == "new_session":
                self.page_script_hash = fwd.new_session.main_script_hash or self.page_script_hash
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                element = fwd.delta.new_element
                self.elements[tuple(fwd.metadata.delta_path)] = (element.WhichOneof("type"), element)
            elif kind == "script_finished":
                status = ForwardMsg.ScriptFinishedStatus.Name(fwd.script_finished)
                if status != "FINISHED_EARLY_FOR_RERUN":
                    return status

    def widget_id(self, key: str) -> str:
        """The element id of the widget with this user key (Streamlit ids end in the key)."""
        for kind, proto in self.elements.values():
            inner = getattr(proto, kind)
            wid = getattr(inner, "id", "")
            if wid and wid.endswith(f"-{key}"):
                return wid
        raise KeyError(key)
