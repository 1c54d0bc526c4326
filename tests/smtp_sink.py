"""A tiny SMTP server for tests: accepts every message on 127.0.0.1 and keeps it in memory."""

from __future__ import annotations

import asyncio
import base64
from email import message_from_bytes, policy
from email.message import EmailMessage


class SmtpSink:
    """Enough of RFC 5321 for smtplib: EHLO, AUTH PLAIN, MAIL, RCPT, DATA, RSET, NOOP, QUIT."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.logins: list[str] = []
        self.port = 0

    async def __aenter__(self) -> SmtpSink:
        self._server = await asyncio.start_server(self._session, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._server.close()
        await self._server.wait_closed()

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        async def reply(line: str) -> None:
            writer.write(line.encode() + b"\r\n")
            await writer.drain()

        sender, recipients = "", []
        await reply("220 sink ready")
        while line := await reader.readline():
            command = line.decode().strip()
            verb = command.split(" ", 1)[0].upper()
            if verb == "EHLO":
                await reply("250-sink\r\n250 AUTH PLAIN")
            elif verb == "AUTH":
                user = base64.b64decode(command.split()[2]).split(b"\0")[1].decode()
                self.logins.append(user)
                await reply("235 ok")
            elif verb == "MAIL":
                sender, recipients = command[10:].strip("<>"), []
                await reply("250 ok")
            elif verb == "RCPT":
                recipients.append(command[8:].strip("<>"))
                await reply("250 ok")
            elif verb == "DATA":
                await reply("354 go on")
                self.messages.append(await self._read_data(reader))
                self.envelopes.append((sender, recipients))
                await reply("250 queued")
            elif verb == "QUIT":
                await reply("221 bye")
                break
            else:
                await reply("250 ok")
        writer.close()

    async def _read_data(self, reader: asyncio.StreamReader) -> EmailMessage:
        lines = []
        while (line := await reader.readline()) not in (b".\r\n", b""):
            lines.append(line[1:] if line.startswith(b"..") else line)
        return message_from_bytes(b"".join(lines), policy=policy.default)  # type: ignore[return-value]
