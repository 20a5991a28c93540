# Debian's dkimverify (/usr/bin/dkimverify, from python3-dkim) run as it is, with dnspython's default resolver
# pointed at the test's DNS server on loopback instead of the host's: the key it verifies with is the record the
# test published there, and the host's DNS plays no part. For Dkimverify.
#   python3 dkimverify_loopback.py DNS-PORT [dkimverify's options, e.g. --index 1]   (the message on stdin)
import runpy
import sys

import dns.resolver

resolver = dns.resolver.Resolver(configure=False)
resolver.nameservers = ["127.0.0.1"]
resolver.port = int(sys.argv[1])
dns.resolver.default_resolver = resolver
sys.argv = ["/usr/bin/dkimverify"] + sys.argv[2:]
runpy.run_path("/usr/bin/dkimverify", run_name="__main__")
