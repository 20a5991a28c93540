# Signs and verifies DKIM with Debian's python3-dkim (dkimpy), an implementation independent of ours, for
# PythonDkim. One job per line on stdin, one answer per line on stdout; every field is base64 (or "-" for none):
#   sign MESSAGE SELECTOR DOMAIN KEY ALGORITHM HEADER/BODY-CANONICALIZATION HEADERS LENGTH IDENTITY
#     KEY: a PEM private key (rsa) or the base64 seed (ed25519); HEADERS: names joined by ":", or "-" for
#     dkimpy's defaults; LENGTH: "1" adds l=
#     -> "ok SIGNATURE-FIELD" (with its CRLF)
#   verify MESSAGE TXT   (TXT answers every key lookup; the first signature is verified)
#     -> "ok pass" or "ok fail"
# Failures answer "error REPR".
import base64
import sys

import dkim


def decoded(field):
    return None if field == "-" else base64.b64decode(field)


def sign(message, selector, domain, key, algorithm, canonicalization, headers, length, identity):
    signer = dkim.DKIM(decoded(message), signature_algorithm=algorithm.encode())
    signer.should_not_sign = set()  # the tests sign Received and DKIM-Signature on purpose
    header_canon, body_canon = canonicalization.encode().split(b"/")
    names = decoded(headers)
    return signer.sign(decoded(selector), decoded(domain), decoded(key), identity=decoded(identity),
                       canonicalize=(header_canon, body_canon),
                       include_headers=None if names is None else names.split(b":"),
                       length=length == "1")


def verify(message, txt):
    record = decoded(txt)
    return dkim.verify(decoded(message), dnsfunc=lambda name, timeout=5: record)


for line in sys.stdin:
    fields = line.split()
    if not fields:
        continue
    try:
        if fields[0] == "sign":
            print("ok", base64.b64encode(sign(*fields[1:])).decode())
        elif fields[0] == "verify":
            print("ok", "pass" if verify(*fields[1:]) else "fail")
        else:
            print("error", base64.b64encode(b"unknown job " + fields[0].encode()).decode())
    except Exception as e:
        print("error", base64.b64encode(repr(e).encode()).decode())
    sys.stdout.flush()
