"""`floorwatch web`: the dashboard in a browser, one session process per tab.

textual-serve's page, JavaScript and fonts are served from the installed package (nothing
comes from the internet); the server side is this one so that access is checked
(`tui.web.access`), no request is logged (an address may carry the token), and every session
process is stopped with its tab and on Ctrl-C (`tui.web.session`).
"""

from __future__ import annotations

import asyncio
import html
import os
import signal
import sys
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from importlib.metadata import version
from importlib.resources import files
from pathlib import Path
from string import Template

from aiohttp import web

from tui.web.access import access_middleware, is_loopback, refusal
from tui.web.session import QUIT_GRACE, Session, cells

TOKEN_ENV = "FLOORWATCH_WEB_TOKEN"
SHUTDOWN_TIMEOUT = 5.0
PAGE = Template((Path(__file__).with_name("page.html")).read_text(encoding="utf-8"))


def listen_problem(host: str, token: str | None) -> str | None:
    """Why `floorwatch web` may not listen on `host` with `token`, or None."""
    if token == "":
        return f"the token (--token or {TOKEN_ENV}) is empty"
    if token is None and not is_loopback(host):
        return (
            f"{host} is not a loopback address: set --token or {TOKEN_ENV}, "
            "which every page and websocket request must then carry"
        )
    return None


def session_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """A session process's environment: Textual's web driver, and no web token."""
    env = {name: value for name, value in environ.items() if name != TOKEN_ENV}
    env.update(
        TEXTUAL_DRIVER="textual.drivers.web_driver:WebDriver",
        TEXTUAL_FPS="60",
        TEXTUAL_COLOR_SYSTEM="truecolor",
        TERM_PROGRAM="textual",
        TERM_PROGRAM_VERSION=version("textual-serve"),
    )
    return env


class WebServer:
    """Serve `command` (argv), one process per websocket, on `host`:`port`."""

    def __init__(
        self, command: Sequence[str], title: str, token: str | None, quit_grace: float = QUIT_GRACE
    ) -> None:
        self.command = list(command)
        self.quit_grace = quit_grace
        self.title = title
        self.token = token
        self.sessions: set[Session] = set()
        self.closing = False
        self._env = session_environment(os.environ)

    @classmethod
    def for_floorwatch(cls, *, demo: bool, config: Path | None, token: str | None) -> WebServer:
        """Each tab runs `floorwatch demo`, or `floorwatch watch [--config FILE]`."""
        command = [sys.executable, "-m", "tui.cli"]
        if demo:
            return cls([*command, "demo"], "the Floorwatch demo", token)
        given = [] if config is None else ["--config", str(config.resolve())]
        return cls([*command, "watch", *given], "Floorwatch", token)

    def application(self) -> web.Application:
        app = web.Application(middlewares=[access_middleware(self.token)])
        static = files("textual_serve") / "static"
        app.add_routes(
            [
                web.get("/", self.page),
                web.get("/ws", self.websocket),
                web.static("/static", Path(str(static))),
            ]
        )
        return app

    async def page(self, request: web.Request) -> web.Response:
        font_size = cells(request.query.get("fontsize", "16"), 16)
        scheme = "wss" if request.secure else "ws"
        text = PAGE.substitute(
            title=html.escape(self.title),
            websocket=html.escape(f"{scheme}://{request.host}/ws"),
            font_size=font_size,
        )
        return web.Response(text=text, content_type="text/html")

    async def websocket(self, request: web.Request) -> web.StreamResponse:
        if self.closing:
            return refusal(HTTPStatus.SERVICE_UNAVAILABLE, "Floorwatch is stopping.")
        socket = web.WebSocketResponse(heartbeat=15)
        await socket.prepare(request)
        session = Session(self.command, self._env, socket, self.quit_grace)
        self.sessions.add(session)
        try:
            width = cells(request.query.get("width", "80"), 80)
            await session.run(width, cells(request.query.get("height", "24"), 24))
        finally:
            self.sessions.discard(session)
        return socket

    async def stop_sessions(self) -> None:
        self.closing = True
        await asyncio.gather(*(session.stop() for session in list(self.sessions)))


async def serve(server: WebServer, host: str, port: int) -> int:
    """Serve until SIGINT, SIGTERM or SIGHUP (its terminal closed), then stop every session
    process; 1 if it cannot listen."""
    runner = web.AppRunner(server.application(), access_log=None, shutdown_timeout=SHUTDOWN_TIMEOUT)
    await runner.setup()
    try:
        site = web.TCPSite(runner, host, port)
        await site.start()
    except OSError as exc:
        await runner.cleanup()
        print(f"floorwatch web: cannot listen on {host}:{port}: {exc.strerror}", file=sys.stderr)
        return 1
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        loop.add_signal_handler(signum, stop.set)
    for address in runner.addresses:
        bound_host, bound_port = address[0], address[1]
        shown = f"[{bound_host}]" if ":" in bound_host else bound_host
        print(f"floorwatch web: serving {server.title} on http://{shown}:{bound_port}/", flush=True)
    if server.token is not None:
        print("  open it with ?token= and the token you set; Ctrl-C stops it", flush=True)
    else:
        print("  each tab is its own dashboard; Ctrl-C stops them all", flush=True)
    try:
        await stop.wait()
    finally:
        await server.stop_sessions()
        await runner.cleanup()
    print("floorwatch web: stopped", flush=True)
    return 0
