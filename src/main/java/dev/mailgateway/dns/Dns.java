package dev.mailgateway.dns;

import dev.mailgateway.dns.DnsAnswer.Status;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Cache;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.lookup.LookupResult;
import org.xbill.DNS.lookup.LookupSession;
import org.xbill.DNS.lookup.NoSuchDomainException;
import org.xbill.DNS.lookup.NoSuchRRSetException;
import org.xbill.DNS.lookup.ServerFailedException;

/**
 * The gateway's one DNS resolver: MX lookups, DNS lists (and what comes later: SPF, DKIM, DMARC) ask through it,
 * so they share one server setting, one timeout and one cache. Asynchronous (dnsjava's {@link LookupSession} over
 * its NIO client): no thread waits for an answer.
 *
 * <p>A query's stage never completes exceptionally: failures are answers ({@link DnsAnswer.Status}), and it
 * completes within the timeout even when the server never answers (dnsjava notices its own timeouts only on its
 * selector's one-second tick, so a timer of ours answers TIMEOUT on time). Answers, negative ones too, are cached
 * for their TTL, capped ({@link #MAX_TTL}, {@link #MAX_NEGATIVE_TTL}); failures are not cached. Concurrent identical
 * questions share one lookup. DNS only: names are absolute (no search path) and /etc/hosts is not read.
 *
 * <p>Stages complete on the resolver's own two threads (or on the caller's, from the cache): what callers chain
 * on them must not block; work that may block belongs on an executor of its own ({@code thenApplyAsync}).
 */
public final class Dns implements AutoCloseable {

    /** Where {@link #shared} binds the resolver in a Camel registry. */
    public static final String REGISTRY_NAME = "mailgateway.dns";

    /** Longest a record is kept whatever its TTL: a mail host that moves, a listing that ends, seen within the hour. */
    static final int MAX_TTL = 3600;
    /** Longest "does not exist" is kept: a new listing or a new MX record counts within a quarter of an hour. */
    static final int MAX_NEGATIVE_TTL = 900;
    private static final int MAX_ENTRIES = 50_000;

    private static final Logger LOG = LoggerFactory.getLogger(Dns.class);
    private static final Object SHARING = new Object();
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private record Question(Name name, int type) {
        @Override
        public String toString() {
            return "name=" + name.toString(true) + " type=" + Type.string(type);
        }
    }

    private final String server;
    private final Duration timeout;
    private final ScheduledThreadPoolExecutor threads;
    private final LookupSession session;
    private final Map<Question, CompletableFuture<DnsAnswer>> inFlight = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private Dns(String server, Duration timeout) {
        this.server = server == null ? "" : server.strip();
        this.timeout = timeout;
        Cache cache = new Cache(DClass.IN);
        cache.setMaxCache(MAX_TTL);
        cache.setMaxNCache(MAX_NEGATIVE_TTL);
        cache.setMaxEntries(MAX_ENTRIES);
        threads = threads();
        session = LookupSession.builder()
                .resolver(ResolverSettings.resolver(this.server, timeout))
                .cache(cache)
                .clearSearchPath() // absolute names only: a mail domain is never relative to ours
                .hostsFileParser(null) // DNS only: /etc/hosts says nothing of mail routing or lists
                .executor(threads)
                .build();
    }

    /**
     * @param server  blank: the system's resolvers (/etc/resolv.conf); else {@code host[:port]}
     * @param timeout how long a query waits for an answer before it is a {@link Status#TIMEOUT}
     * @throws IllegalArgumentException when the server is not {@code host[:port]}, or its name does not resolve
     */
    public static Dns create(String server, Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("DNS timeout must be positive: " + timeout);
        }
        return new Dns(server, timeout);
    }

    /**
     * The one resolver of a Camel context, bound in its registry on first use (name {@value #REGISTRY_NAME}) and
     * closed when the context stops. A later caller with other settings gets the existing one and a logged
     * warning: the gateway has one DNS configuration. A resolver bound there by someone else (a test) is used.
     */
    public static Dns shared(CamelContext context, String server, Duration timeout) {
        synchronized (SHARING) {
            Dns bound = context.getRegistry().lookupByNameAndType(REGISTRY_NAME, Dns.class);
            if (bound != null && !bound.closed) {
                if (!bound.hasSettings(server, timeout)) {
                    LOG.warn("DNS resolver asked for with server '{}' and timeout {}: the gateway's resolver has "
                            + "server '{}' and timeout {}, and that one is used", server == null ? "" : server.strip(),
                            timeout, bound.server, bound.timeout);
                }
                return bound;
            }
            Dns dns = create(server, timeout);
            context.getRegistry().bind(REGISTRY_NAME, Dns.class, dns);
            try {
                context.addService(new Closer(dns), true, true);
            } catch (Exception e) {
                dns.close();
                throw RuntimeCamelException.wrapRuntimeCamelException(e);
            }
            return dns;
        }
    }

    /** Closes the shared resolver when its context stops (Camel stops the services it was given). */
    private static final class Closer extends ServiceSupport {
        private final Dns dns;

        Closer(Dns dns) {
            this.dns = dns;
        }

        @Override
        protected void doStop() {
            dns.close();
        }
    }

    private boolean hasSettings(String otherServer, Duration otherTimeout) {
        return server.equals(otherServer == null ? "" : otherServer.strip()) && timeout.equals(otherTimeout);
    }

    /** Whether DNS can carry this name (labels of at most 63 octets, 255 in all, none empty). */
    public static boolean canQuery(String name) {
        return absolute(name) != null;
    }

    private static Name absolute(String name) {
        if (name == null || name.isEmpty()) {
            return null;
        }
        try {
            return Name.fromString(name, Name.root);
        } catch (TextParseException e) {
            return null;
        }
    }

    /**
     * Never completes exceptionally and never blocks the caller: failures are answers. Completes within the
     * timeout. Cached per TTL (positive and negative, capped).
     *
     * @param name an absolute name, with or without its final dot
     * @param type a {@link Type} constant
     */
    public CompletionStage<DnsAnswer> query(String name, int type) {
        Name absolute = absolute(name);
        if (absolute == null) {
            return CompletableFuture.completedFuture(DnsAnswer.none(Status.ERROR, "not a DNS name: " + name));
        }
        if (closed) {
            return CompletableFuture.completedFuture(closedAnswer());
        }
        Question question = new Question(absolute, type);
        CompletableFuture<DnsAnswer> answer = new CompletableFuture<>();
        CompletableFuture<DnsAnswer> running = inFlight.putIfAbsent(question, answer);
        if (running != null) {
            return running.copy(); // a copy: one caller completing its stage must not answer the others
        }
        try {
            ScheduledFuture<?> guard = threads.schedule(() -> finish(question, answer, DnsAnswer.none(Status.TIMEOUT,
                    "timed out (no answer within " + timeout.toMillis() + " ms)")), timeout.toNanos(),
                    TimeUnit.NANOSECONDS);
            answer.whenComplete((a, e) -> guard.cancel(false));
            session.lookupAsync(absolute, type)
                    .handle((result, failure) -> answer(type, result, failure))
                    .thenAccept(a -> finish(question, answer, a));
        } catch (RejectedExecutionException e) { // closed meanwhile
            finish(question, answer, closedAnswer());
        } catch (RuntimeException e) { // dnsjava failing before it has a stage to fail (no system resolver, say)
            LOG.debug("DNS query {} failed to start", question, e);
            finish(question, answer, DnsAnswer.none(Status.ERROR, e.toString()));
        }
        return answer.copy();
    }

    /**
     * Out of the in-flight map first, then complete: a caller that hears this answer and asks again at once must
     * start a new lookup (of the cache, then of the server), not get the finished one back (a SERVFAIL, say).
     */
    private void finish(Question question, CompletableFuture<DnsAnswer> answer, DnsAnswer value) {
        inFlight.remove(question, answer);
        answer.complete(value);
    }

    private static DnsAnswer closedAnswer() {
        return DnsAnswer.none(Status.ERROR, "the resolver is closed");
    }

    private static DnsAnswer answer(int type, LookupResult result, Throwable failure) {
        if (failure == null) { // the records of the type asked: the CNAMEs on the way were followed
            List<org.xbill.DNS.Record> records = result.getRecords().stream()
                    .filter(r -> r.getType() == type || type == Type.ANY).toList();
            return records.isEmpty() ? DnsAnswer.none(Status.NODATA, "no data of that type")
                    : DnsAnswer.found(records);
        }
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof NoSuchDomainException) {
            return DnsAnswer.none(Status.NXDOMAIN, "host not found");
        }
        if (cause instanceof NoSuchRRSetException) {
            return DnsAnswer.none(Status.NODATA, "no data of that type");
        }
        if (cause instanceof ServerFailedException) {
            return DnsAnswer.none(Status.SERVFAIL, "server failed");
        }
        // dnsjava's own timeouts: a single server's, and ExtendedResolver's when every system resolver had its turn
        if (cause instanceof SocketTimeoutException
                || cause instanceof IOException && String.valueOf(cause.getMessage()).startsWith("Timed out")) {
            return DnsAnswer.none(Status.TIMEOUT, "timed out");
        }
        return DnsAnswer.none(Status.ERROR, cause.getClass().getSimpleName() + ": " + cause.getMessage());
    }

    /**
     * Two threads: they parse answers and run the timeout timers, never wait for the network. Idle, they end,
     * so that a resolver nobody closed (one per test) leaves no thread behind.
     */
    private static ScheduledThreadPoolExecutor threads() {
        int instance = INSTANCES.incrementAndGet();
        AtomicInteger count = new AtomicInteger();
        ScheduledThreadPoolExecutor threads = new ScheduledThreadPoolExecutor(2, runnable -> {
            Thread thread = new Thread(runnable, "mailgateway-dns-" + instance + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        threads.setRemoveOnCancelPolicy(true); // answered queries take their timers with them
        threads.setKeepAliveTime(30, TimeUnit.SECONDS);
        threads.allowCoreThreadTimeOut(true);
        return threads;
    }

    public Duration timeout() {
        return timeout;
    }

    /** Queries in flight fail (ERROR); later ones too. */
    @Override
    public void close() {
        closed = true;
        threads.shutdownNow();
        inFlight.forEach((question, pending) ->
                finish(question, pending, closedAnswer()));
    }

    @Override
    public String toString() {
        return "DNS resolver (" + (server.isEmpty() ? "system resolvers" : server) + ", timeout " + timeout + ")";
    }
}
