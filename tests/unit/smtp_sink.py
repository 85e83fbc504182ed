#!/usr/bin/python3
"""smtp_sink — a local SMTP server for test_mailout, built on aiosmtpd.

usage: smtp_sink.py [--smtputf8] DIR [REJECTED_ADDRESS ...]

Listens on a free loopback port and prints that port on a line of its own
once it accepts connections.  With --smtputf8 it offers the SMTPUTF8
extension (RFC 6531) in its EHLO answer; without, it does not.  Every
message it receives becomes two files in DIR: N.env (the envelope: "MAIL
FROM:<x>", followed by " SMTPUTF8" when the client asked for it, then one
"RCPT TO:<y>" per recipient) and N.eml (the data exactly as received, after the SMTP dot
unstuffing), numbered from 1; N.eml is renamed into place last, so a file
that exists is complete.  A recipient listed after DIR is refused with a
550 whose text the test looks for.

It stops when its standard input closes, which is also what happens when
the test that started it dies, and after two minutes in any case, so it
never outlives a test run.
"""
import asyncio
import os
import socket
import sys

from aiosmtpd.smtp import SMTP

REJECT_TEXT = "550 5.1.1 <%s>: mailbox unavailable in the sink"
LIFETIME_S = 120


class Sink:
    def __init__(self, folder, rejected):
        self.folder = folder
        self.rejected = {a.lower() for a in rejected}
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.rejected:
            return REJECT_TEXT % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.folder, str(self.count))
        with open(base + ".env", "w", encoding="utf-8") as f:
            # aiosmtpd gives the null sender as "<>" already.
            sender = envelope.mail_from
            utf8 = " SMTPUTF8" if "SMTPUTF8" in (o.upper() for o in envelope.mail_options) else ""
            f.write("MAIL FROM:%s%s\n" % (sender if sender == "<>" else "<%s>" % sender, utf8))
            for r in envelope.rcpt_tos:
                f.write("RCPT TO:<%s>\n" % r)
        with open(base + ".tmp", "wb") as f:
            f.write(envelope.original_content)
        os.rename(base + ".tmp", base + ".eml")
        return "250 Message accepted for delivery"


def main():
    args = sys.argv[1:]
    smtputf8 = bool(args) and args[0] == "--smtputf8"
    if smtputf8:
        args = args[1:]
    if not args:
        sys.exit(__doc__)
    handler = Sink(args[0], args[1:])
    loop = asyncio.new_event_loop()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    server = loop.run_until_complete(
        loop.create_server(lambda: SMTP(handler, hostname="sink.test", enable_SMTPUTF8=smtputf8), sock=sock))
    print(sock.getsockname()[1], flush=True)

    def stdin_closed():
        if not os.read(sys.stdin.fileno(), 4096):
            loop.stop()

    loop.add_reader(sys.stdin.fileno(), stdin_closed)
    loop.call_later(LIFETIME_S, loop.stop)
    loop.run_forever()
    server.close()


if __name__ == "__main__":
    main()
