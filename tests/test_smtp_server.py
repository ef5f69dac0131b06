"""The test SMTP server's held replies (scripts/deploy_check.py --crash kills a run while they wait):
what was sent before the hold is accepted; a held message is answered 421 on release and never
accepted, whether its client waited or went away; later messages are served as before."""

from __future__ import annotations

import smtplib
import socket
import threading

from tests.smtp_server import running_smtp_server

MESSAGE = "Subject: thu\r\n\r\nnoi dung\r\n"


def _send(port: int, count: int, outcomes: list[object]) -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
        for _ in range(count):
            try:
                client.sendmail("a@dondoc.test", ["b@dondoc.test"], MESSAGE)
                outcomes.append(250)
            except smtplib.SMTPResponseException as exc:
                outcomes.append(exc.smtp_code)
                return


def test_a_held_reply_waits_for_release_and_accepts_nothing() -> None:
    with running_smtp_server() as server:
        server.handler.hold_after(1)
        outcomes: list[object] = []
        sender = threading.Thread(target=_send, args=(server.port, 2, outcomes))
        sender.start()
        assert server.handler.wait_for(1) and server.handler.wait_for_transactions(2)
        assert sender.is_alive() and outcomes == [250], "the second DATA should wait for its reply"
        server.handler.release()
        sender.join(timeout=30)
        assert outcomes == [250, 421] and len(server.handler.received) == 1
        _send(server.port, 1, outcomes)  # served as before once released
        assert outcomes[-1] == 250 and len(server.handler.received) == 2


def test_a_held_message_whose_client_went_away_is_not_accepted() -> None:
    with running_smtp_server() as server:
        server.handler.hold_after(0)
        with socket.create_connection(("127.0.0.1", server.port), timeout=30) as raw:
            reader = raw.makefile("rb")
            reader.readline()  # the greeting
            for line in ("EHLO t", "MAIL FROM:<a@dondoc.test>", "RCPT TO:<b@dondoc.test>", "DATA"):
                raw.sendall(line.encode() + b"\r\n")
                while reader.readline()[3:4] == b"-":  # a multi-line reply ends with a line "250 …"
                    pass
            raw.sendall(MESSAGE.encode() + b".\r\n")  # the whole message: the server holds its reply
            assert server.handler.wait_for_transactions(1)
        server.handler.release()  # the client has gone (a killed run's socket)
        outcomes: list[object] = []
        _send(server.port, 1, outcomes)
        assert outcomes == [250] and server.handler.transactions == 2
        assert len(server.handler.received) == 1  # the later client's message only
