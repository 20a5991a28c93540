#!/usr/bin/env python3
"""STARTTLS load client, like smtp-source -s S -m N -l L but over TLS (smtp-source has none).

One connection per message: EHLO, STARTTLS, EHLO, MAIL, RCPT, DATA, QUIT; S sessions at a time on one asyncio
loop; TLS by OpenSSL (Python's ssl module), so the client spends little CPU on crypto. Full handshakes by default
(many different peers); --resume reuses TLS sessions (one busy peer).

    src/bench/starttls_load.py HOST PORT [-s 20] [-m 10000] [-l 4096] [--resume]
"""
import argparse
import asyncio
import ssl
import time


async def reply(reader, code):
    while True:
        line = await reader.readline()
        if not line:
            raise ConnectionError("connection closed")
        if not line.startswith(code):
            raise ConnectionError(f"expected {code!r}, got {line.strip()!r}")
        if line[3:4] != b"-":
            return


async def command(reader, writer, text, code):
    writer.write(text + b"\r\n")
    await reply(reader, code)


async def send(host, port, context, session_holder, body):
    reader, writer = await asyncio.open_connection(host, port)
    try:
        await reply(reader, b"220")
        await command(reader, writer, b"EHLO load.test", b"250")
        await command(reader, writer, b"STARTTLS", b"220")
        await writer.start_tls(context, server_hostname=None, ssl_handshake_timeout=30)
        if session_holder is not None:
            session_holder[0] = writer.get_extra_info("ssl_object").session
        await command(reader, writer, b"EHLO load.test", b"250")
        await command(reader, writer, b"MAIL FROM:<load@src.test>", b"250")
        await command(reader, writer, b"RCPT TO:<sink@dest.test>", b"250")
        await command(reader, writer, b"DATA", b"354")
        writer.write(body)
        await reply(reader, b"250")
        await command(reader, writer, b"QUIT", b"221")
    finally:
        writer.close()


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("host")
    parser.add_argument("port", type=int)
    parser.add_argument("-s", type=int, default=20)
    parser.add_argument("-m", type=int, default=10000)
    parser.add_argument("-l", type=int, default=4096)
    parser.add_argument("--resume", action="store_true")
    args = parser.parse_args()

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # test listeners use self-signed certificates
    if not args.resume:
        context.options |= ssl.OP_NO_TICKET
    line = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdef\r\n"
    body = b"Subject: load\r\n\r\n" + line * (args.l // len(line) + 1) + b".\r\n"
    remaining = [args.m]
    failed = [0]

    async def worker():
        while remaining[0] > 0:
            remaining[0] -= 1
            try:
                await send(args.host, args.port, context, None, body)
            except (OSError, ConnectionError, ssl.SSLError, asyncio.TimeoutError) as e:
                failed[0] += 1
                if failed[0] <= 5:
                    print("failed:", e)

    start = time.monotonic()
    await asyncio.gather(*(worker() for _ in range(args.s)))
    seconds = time.monotonic() - start
    mode = "resumed sessions" if args.resume else "full handshakes"
    print(f"{args.m} messages in {seconds:.2f} s = {args.m / seconds:.0f} msg/s over STARTTLS "
          f"({mode}, s={args.s} l={args.l}), {failed[0]} failed")


asyncio.run(main())
