#!/usr/bin/env python3
"""A real SMTP server for Switchboard's backup-email tests (aiosmtpd).

Listens on 127.0.0.1 on three free ports: plain (AUTH allowed without TLS, the "none" security
of a local relay), STARTTLS (TLS required before AUTH and MAIL) and implicit TLS. Every listener
requires AUTH with the given login and password. Every message received is written as one JSON
file ({mail_from, rcpt_tos, subject, body, raw}) into --out. Prints one JSON line with the ports,
then serves until its standard input closes (the test ends).

Usage: server.py --out DIR --cert PEM --key PEM --login USER --password-env VAR
"""

import argparse
import asyncio
import email
import email.policy
import json
import logging
import os
import ssl
import sys
import threading
import warnings
from pathlib import Path

# scripts/deps.sh installs aiosmtpd here when the interpreter has none of its own.
sys.path.insert(0, str(Path(__file__).resolve().parent / ".deps"))

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword  # noqa: E402

SERVER_NAME = "mail.test.switchboard"


class Recorder:
    def __init__(self, out: Path):
        self.out = out
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        body = message.get_body(preferencelist=("plain",))
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "subject": str(message["subject"] or ""),
            "from": str(message["from"] or ""),
            "to": str(message["to"] or ""),
            # Lines end in CRLF on the wire; the test compares text.
            "body": body.get_content().replace("\r\n", "\n") if body is not None else "",
            "raw": envelope.content.decode("utf-8", "replace"),
        }
        partial = self.out / f".{self.count:04}.json.part"
        partial.write_text(json.dumps(record), encoding="utf-8")
        partial.rename(self.out / f"{self.count:04}.json")
        return "250 2.0.0 Message accepted"


def main() -> None:
    # Failed handshakes are what some tests are about: keep the test output readable.
    logging.getLogger("mail.log").setLevel(logging.CRITICAL)
    warnings.simplefilter("ignore")
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--login", required=True)
    parser.add_argument("--password-env", required=True)
    args = parser.parse_args()
    password = os.environ[args.password_env].encode()
    login = args.login.encode()

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and (
            auth_data.login == login and auth_data.password == password
        )
        return AuthResult(success=ok, handled=False)

    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(args.cert, args.key)
    recorder = Recorder(args.out)

    def smtp(**options):
        return lambda: SMTP(
            recorder,
            hostname=SERVER_NAME,
            authenticator=authenticator,
            auth_required=True,
            **options,
        )

    async def serve() -> None:
        loop = asyncio.get_running_loop()
        servers = {
            "plain": await loop.create_server(
                smtp(auth_require_tls=False), "127.0.0.1", 0
            ),
            "starttls": await loop.create_server(
                smtp(tls_context=tls, require_starttls=True), "127.0.0.1", 0
            ),
            # The connection is TLS from the first byte, which aiosmtpd's own TLS check
            # (made for STARTTLS) does not see.
            "tls": await loop.create_server(
                smtp(auth_require_tls=False), "127.0.0.1", 0, ssl=tls
            ),
        }
        ports = {name: s.sockets[0].getsockname()[1] for name, s in servers.items()}
        print(json.dumps(ports), flush=True)
        closed = loop.create_future()
        threading.Thread(
            target=lambda: (sys.stdin.read(), loop.call_soon_threadsafe(closed.set_result, None)),
            daemon=True,
        ).start()
        await closed

    asyncio.run(serve())


if __name__ == "__main__":
    main()
