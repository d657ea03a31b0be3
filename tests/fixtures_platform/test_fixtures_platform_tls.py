"""TLS on request: https and wss with a certificate from a CA made at start, trusted only
through the CA file the server names."""

from __future__ import annotations

import ssl

import httpx
import pytest
from served_support import ACCOUNT, StartServer, call, floor, http_client, log_in, open_feed
from websockets.asyncio.client import connect


async def test_without_tls_the_platform_is_plain_http(start_server: StartServer) -> None:
    server = await start_server(floor())
    assert server.ca_path is None
    assert server.base_url == f"http://127.0.0.1:{server.port}"


async def test_tls_serves_https_and_wss_to_a_client_that_trusts_the_ca_file(
    start_server: StartServer,
) -> None:
    server = await start_server(floor(), tls=True)
    assert server.base_url == f"https://127.0.0.1:{server.port}"
    assert server.ca_path is not None
    assert server.ca_path.read_text().startswith("-----BEGIN CERTIFICATE-----")
    async with http_client(server) as http:
        lookup = await http.get(
            f"{server.base_url}/api/account/{ACCOUNT}/service/baseURI.json",
            params={"version": "1.0"},
        )
        await log_in(http, server)
    # The shape the SDK's CSDSClient reads: baseURIs [{service, account, baseURI}], baseURI
    # being host:port without a scheme (the SDK puts https:// or wss:// in front).
    domains = {entry["service"]: entry for entry in lookup.json()["baseURIs"]}
    assert domains["agentVep"] == {
        "service": "agentVep",
        "account": ACCOUNT,
        "baseURI": f"127.0.0.1:{server.port}",
    }
    assert domains["asyncMessagingEnt"]["baseURI"] == f"127.0.0.1:{server.feed_port}"
    async with await open_feed(server) as ws:
        clock = await call(ws, "1", ".GetClock")
    assert clock["code"] == 200 and clock["type"] == ".GetClock$Response"


async def test_the_certificate_names_localhost_too(start_server: StartServer) -> None:
    server = await start_server(floor(), tls=True)
    async with http_client(server) as http:
        response = await http.get(f"https://localhost:{server.port}/api/account/{ACCOUNT}/x")
    assert response.status_code == 404  # the TLS handshake passed; the path is unknown


async def test_a_client_that_does_not_trust_the_ca_is_refused(start_server: StartServer) -> None:
    server = await start_server(floor(), tls=True)
    async with httpx.AsyncClient() as http:  # the system's (certifi's) authorities only
        with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
            await http.get(f"{server.base_url}/api/account/{ACCOUNT}/service/baseURI.json")
    url = f"wss://127.0.0.1:{server.feed_port}/ws_api/account/{ACCOUNT}/messaging/brand/x"
    with pytest.raises(ssl.SSLCertVerificationError):
        await connect(url, ssl=ssl.create_default_context(), open_timeout=5)
    async with httpx.AsyncClient() as http:  # and plain http on the TLS port gets no answer
        with pytest.raises(httpx.HTTPError):
            await http.get(f"http://127.0.0.1:{server.port}/api/account/{ACCOUNT}/login")


async def test_the_ca_file_is_removed_when_the_platform_stops(start_server: StartServer) -> None:
    server = await start_server(floor(), tls=True)
    assert server.ca_path is not None and server.ca_path.exists()
    await server.close()
    assert not server.ca_path.exists()
