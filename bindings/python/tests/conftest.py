"""Fixtures: loopback servers from tests/interop (aiosmtpd, the fault
server), always stopped, and a throwaway certificate."""
import os
import ssl
import sys

import pytest

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
sys.path.insert(0, os.path.join(REPO, "tests", "interop"))
from interop_common import Servers, make_cert  # noqa: E402


@pytest.fixture
def servers():
    with Servers() as s:
        yield s


@pytest.fixture
def tls_server(servers):
    """aiosmtpd with STARTTLS and AUTH (user "dev", password "pw"), refusing
    recipients containing "nobody"; returns (port, spool, ssl context)."""
    cert, key = make_cert(servers.tmp)
    spool = servers.dir("spool")
    port = servers.aiosmtpd(spool, "starttls", cert, key, "dev", "pw", refuse="nobody")
    return port, spool, ssl.create_default_context(cafile=cert)
