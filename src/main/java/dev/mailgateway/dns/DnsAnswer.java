package dev.mailgateway.dns;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;

/**
 * What DNS said about one question, failures included: {@link Dns} answers with one of these instead of failing,
 * so that every caller decides what a missing answer means for it (a temporary failure for mail routing, no score
 * for a DNS list).
 *
 * @param records the answer's records of the type asked (after CNAMEs); empty unless {@link Status#FOUND}
 * @param error   why there is no record, for logs and replies; {@code null} when found
 */
public record DnsAnswer(Status status, List<org.xbill.DNS.Record> records, String error) {

    public enum Status {
        /** Records of the type asked. */
        FOUND,
        /** The name does not exist. */
        NXDOMAIN,
        /** The name exists, without records of that type. */
        NODATA,
        /** The server could not answer (RCODE 2). */
        SERVFAIL,
        /** No answer within the resolver's timeout. */
        TIMEOUT,
        /** Anything else: a refused or malformed answer, a name DNS cannot carry, a closed resolver. */
        ERROR
    }

    public DnsAnswer {
        records = List.copyOf(records);
    }

    public static DnsAnswer found(List<org.xbill.DNS.Record> records) {
        return new DnsAnswer(Status.FOUND, records, null);
    }

    /** An answer without records: negative ({@link Status#NXDOMAIN}, {@link Status#NODATA}) or a failure. */
    public static DnsAnswer none(Status status, String error) {
        if (status == Status.FOUND) {
            throw new IllegalArgumentException("an answer found has records");
        }
        return new DnsAnswer(status, List.of(), error);
    }

    public boolean isFound() {
        return status == Status.FOUND;
    }

    /** DNS answered that there is nothing: the name, or that type of record at it, does not exist. */
    public boolean isNegative() {
        return status == Status.NXDOMAIN || status == Status.NODATA;
    }

    /** DNS did not answer (SERVFAIL, TIMEOUT, ERROR): asking again later may give an answer. */
    public boolean isFailure() {
        return !isFound() && !isNegative();
    }

    /** The addresses of the A and AAAA records among the answer, in answer order. */
    public List<InetAddress> addresses() {
        List<InetAddress> addresses = new ArrayList<>();
        for (org.xbill.DNS.Record record : records) {
            if (record instanceof ARecord a) {
                addresses.add(a.getAddress());
            } else if (record instanceof AAAARecord aaaa) {
                addresses.add(aaaa.getAddress());
            }
        }
        return List.copyOf(addresses);
    }
}
