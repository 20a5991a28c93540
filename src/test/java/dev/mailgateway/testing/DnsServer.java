package dev.mailgateway.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * A real DNS server on a loopback UDP port for tests, answering from records the test adds (dnsjava messages on
 * the wire). Names it has no record of get NXDOMAIN; a name with records, but not of the type asked, gets an empty
 * answer with an SOA (NODATA). A name can be made to fail with SERVFAIL a number of times first, or never to be
 * answered at all (the client times out), or not answered about types it has no records of. It counts the
 * questions it gets, so tests can see what a cache saved.
 */
public final class DnsServer implements AutoCloseable {

    private static final long TTL = 300;

    private final DatagramSocket socket;
    private final Map<Name, List<org.xbill.DNS.Record>> records = new ConcurrentHashMap<>();
    private final Map<Name, AtomicInteger> failures = new ConcurrentHashMap<>();
    private final Set<String> queries = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> asked = new ConcurrentHashMap<>();
    private final Set<Name> dropped = ConcurrentHashMap.newKeySet();
    private final Set<Name> droppedOtherTypes = ConcurrentHashMap.newKeySet();
    private volatile long negativeTtl = 1;
    private final Thread thread;

    private DnsServer() throws IOException {
        socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        thread = new Thread(this::serve, "test-dns");
        thread.setDaemon(true);
        thread.start();
    }

    public static DnsServer start() throws IOException {
        return new DnsServer();
    }

    /** {@code 127.0.0.1:port}, for gateway.dns.server. */
    public String address() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    public DnsServer mx(String domain, int preference, String host) {
        add(new MXRecord(name(domain), DClass.IN, TTL, preference, name(host)));
        return this;
    }

    public DnsServer a(String host, String address) {
        try {
            InetAddress ip = InetAddress.getByName(address);
            add(ip.getAddress().length == 4 ? new ARecord(name(host), DClass.IN, TTL, ip)
                    : new AAAARecord(name(host), DClass.IN, TTL, ip));
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
        return this;
    }

    /** {@code alias} is a CNAME of {@code target}: answers for it carry the CNAME and the target's records. */
    public DnsServer cname(String alias, String target) {
        add(new CNAMERecord(name(alias), DClass.IN, TTL, name(target)));
        return this;
    }

    /** The name answers SERVFAIL this many times, then as it should (counting down on each question). */
    public DnsServer servfail(String name, int times) {
        failures.put(name(name), new AtomicInteger(times));
        return this;
    }

    public DnsServer txt(String name, String... strings) {
        add(new TXTRecord(name(name), DClass.IN, TTL, List.of(strings)));
        return this;
    }

    /**
     * A TXT record of these character-strings, byte for byte (no escapes; bytes outside ASCII as they are). No
     * strings at all is an empty record: not valid DNS, but seen in the wild.
     */
    public DnsServer txt(String name, List<byte[]> strings) {
        add(org.xbill.DNS.Record.newRecord(name(name), Type.TXT, DClass.IN, TTL, characterStrings(strings)));
        return this;
    }

    /** A record of type SPF (99), which RFC 7208 retired: a TXT-only SPF check must never see it. */
    public DnsServer spf(String name, List<byte[]> strings) {
        add(org.xbill.DNS.Record.newRecord(name(name), Type.SPF, DClass.IN, TTL, characterStrings(strings)));
        return this;
    }

    private static byte[] characterStrings(List<byte[]> strings) {
        java.io.ByteArrayOutputStream rdata = new java.io.ByteArrayOutputStream();
        for (byte[] string : strings) {
            if (string.length > 255) {
                throw new IllegalArgumentException("a character-string holds at most 255 bytes");
            }
            rdata.write(string.length);
            rdata.writeBytes(string);
        }
        return rdata.toByteArray();
    }

    /** A reverse-mapping record: {@code name} (an in-addr.arpa or ip6.arpa name) points to {@code target}. */
    public DnsServer ptr(String name, String target) {
        add(new PTRRecord(name(name), DClass.IN, TTL, name(target)));
        return this;
    }

    /**
     * One TXT record holding a text longer than one string can (255 octets; a 2048-bit DKIM key, say): cut into
     * strings of 255, as a zone file holds it. Readers join a record's strings without separator.
     */
    public DnsServer longTxt(String name, String text) {
        List<String> strings = new java.util.ArrayList<>();
        for (int start = 0; start < text.length(); start += 255) {
            strings.add(text.substring(start, Math.min(text.length(), start + 255)));
        }
        return txt(name, strings.toArray(String[]::new));
    }

    /**
     * A DNS list entry: the A records {@code answers} at {@code client}'s reversed name under {@code list}
     * ({@code 2.0.0.127.list} for 127.0.0.2, 32 nibbles for an IPv6 address).
     */
    public DnsServer listed(String list, String client, String... answers) {
        for (String answer : answers) {
            a(reversed(client) + "." + list, answer);
        }
        return this;
    }

    /** The name is never answered: the client hears nothing and times out. */
    public DnsServer drop(String name) {
        dropped.add(name(name));
        return this;
    }

    /**
     * Questions about the name of a type it has no record of are never answered (the client times out); the
     * types it has records of are answered as usual: a server that chokes on some types.
     */
    public DnsServer dropOtherTypes(String name) {
        droppedOtherTypes.add(name(name));
        return this;
    }

    /** How long negative answers may be cached (the SOA's minimum); 1 second unless set. */
    public DnsServer negativeTtl(long seconds) {
        negativeTtl = seconds;
        return this;
    }

    /** Names asked about, as {@code name/TYPE}. */
    public Set<String> queries() {
        return queries;
    }

    /** How many times this question came, as {@code name/TYPE} (like {@link #queries()}). */
    public int timesAsked(String query) {
        AtomicInteger count = asked.get(query);
        return count == null ? 0 : count.get();
    }

    /** The name a DNS list is asked for an address under: reversed octets (IPv4) or nibbles (IPv6). */
    public static String reversed(String address) {
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(address).getAddress();
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
        List<String> labels = new java.util.ArrayList<>();
        for (byte b : bytes) {
            if (bytes.length == 4) {
                labels.add(0, Integer.toString(b & 0xFF));
            } else {
                labels.add(0, Integer.toHexString((b >> 4) & 0xF));
                labels.add(0, Integer.toHexString(b & 0xF));
            }
        }
        return String.join(".", labels);
    }

    private void add(org.xbill.DNS.Record record) {
        records.computeIfAbsent(record.getName(), n -> new CopyOnWriteArrayList<>()).add(record);
    }

    private static Name name(String name) {
        try {
            return Name.fromString(name.endsWith(".") ? name : name + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private void serve() {
        byte[] buffer = new byte[512];
        while (!socket.isClosed()) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                Message query = new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
                Message response = answer(query);
                if (response == null) {
                    continue;
                }
                // as large as the client's EDNS buffer says it takes (dnsjava offers 1280): a DKIM record with a
                // 2048-bit key and some tags, or two of them, is over the 512 octets of plain DNS over UDP, and
                // this server has no TCP to fall back on
                int limit = query.getOPT() == null ? 512 : Math.max(512, query.getOPT().getPayloadSize());
                byte[] answer = response.toWire(limit);
                socket.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    e.printStackTrace();
                }
            }
        }
    }

    private Message answer(Message query) throws TextParseException {
        org.xbill.DNS.Record question = query.getQuestion();
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.AA);
        response.addRecord(question, Section.QUESTION);
        String key = question.getName().toString(true) + "/" + Type.string(question.getType());
        queries.add(key);
        asked.computeIfAbsent(key, q -> new AtomicInteger()).incrementAndGet();
        if (dropped.contains(question.getName())) {
            return null;
        }
        AtomicInteger failing = failures.get(question.getName());
        if (failing != null && failing.getAndDecrement() > 0) {
            response.getHeader().setRcode(Rcode.SERVFAIL);
            return response;
        }
        List<org.xbill.DNS.Record> known = records.get(question.getName());
        if (droppedOtherTypes.contains(question.getName()) && (known == null
                || known.stream().noneMatch(r -> r.getType() == question.getType()))) {
            return null;
        }
        if (known == null) {
            response.getHeader().setRcode(Rcode.NXDOMAIN);
            response.addRecord(soa(), Section.AUTHORITY);
            return response;
        }
        boolean any = false;
        for (org.xbill.DNS.Record record : known) {
            if (record.getType() == question.getType()) {
                response.addRecord(record, Section.ANSWER);
                any = true;
            } else if (record instanceof CNAMERecord alias) { // the alias, then what its target has (one step)
                response.addRecord(record, Section.ANSWER);
                any = true;
                for (org.xbill.DNS.Record target : records.getOrDefault(alias.getTarget(), List.of())) {
                    if (target.getType() == question.getType()) {
                        response.addRecord(target, Section.ANSWER);
                    }
                }
            }
        }
        if (!any) {
            response.addRecord(soa(), Section.AUTHORITY);
        }
        return response;
    }

    private SOARecord soa() throws TextParseException {
        return new SOARecord(Name.fromString("test."), DClass.IN, TTL, Name.fromString("ns.test."),
                Name.fromString("hostmaster.test."), 1, 3600, 600, 86400, negativeTtl);
    }

    @Override
    public void close() {
        socket.close();
    }
}
