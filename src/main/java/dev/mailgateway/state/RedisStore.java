package dev.mailgateway.state;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.MaintNotificationsConfig;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.event.connection.ConnectionDeactivatedEvent;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;

/**
 * The state in Redis, shared by every gateway on it: one Lettuce connection for all callers (commands pipelined on
 * it), each operation one round trip (a Lua script, or GET/SET), every key under a prefix and with an expiry.
 *
 * <p>Redis being away is normal operation, not an error: the store is created without it and connects in the
 * background, Lettuce reconnects by itself after that, and meanwhile every operation completes exceptionally at
 * once (commands are rejected while disconnected, never queued for later) — or, when Redis is connected but does
 * not answer, after the timeout. Going away and coming back are logged once each.
 *
 * <p>Operations complete on Lettuce's I/O thread: callers must not block in what they chain on them.
 */
public final class RedisStore implements PolicyStore {

    public static final String DEFAULT_PREFIX = "mgw:";

    private static final Logger LOG = LoggerFactory.getLogger(RedisStore.class);

    /** Fast at first, then every 2 s: a Redis back from a restart serves again within seconds. */
    private static final Delay RECONNECT_DELAY =
            Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS);

    /**
     * In flight on the connection at most: with a Redis that has stopped answering, commands wait out their
     * timeout; past this many they are refused at once rather than piling up.
     */
    private static final int MAX_IN_FLIGHT = 10_000;

    private static final LuaScript TAKE = LuaScript.load("take.lua");
    private static final LuaScript GREYLIST = LuaScript.load("greylist.lua");

    private enum Reach { NOT_YET, UP, DOWN }

    private final String description;
    private final String prefix;
    private final Clock clock;
    private final ClientResources resources;
    private final RedisClient client;
    private final Disposable connectionEvents;
    private final AtomicReference<Reach> reach = new AtomicReference<>(Reach.NOT_YET);
    private volatile StatefulRedisConnection<String, String> connection;
    private volatile boolean closed;

    /**
     * @param redisUri {@code redis://[[user]:password@]host[:port][/db]} (or rediss:// for TLS)
     * @param prefix   before every key, so that the gateway can share a Redis with others
     * @param timeout  how long an operation may wait for Redis before it completes exceptionally
     */
    public RedisStore(String redisUri, String prefix, Duration timeout, Clock clock) {
        RedisURI uri = RedisURI.create(redisUri);
        if (uri.getHost() == null || uri.getSocket() != null || !uri.getSentinels().isEmpty()) {
            throw new IllegalArgumentException("not a redis://host:port[/db] URI: " + describe(uri));
        }
        uri.setTimeout(timeout); // the handshake's commands (HELLO, AUTH, SELECT) too
        this.description = describe(uri);
        this.prefix = prefix;
        this.clock = clock;
        this.resources = DefaultClientResources.builder().reconnectDelay(RECONNECT_DELAY).build();
        this.client = RedisClient.create(resources);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .socketOptions(SocketOptions.builder().connectTimeout(timeout).build())
                .requestQueueSize(MAX_IN_FLIGHT)
                // (maintenance notifications are a Redis Enterprise feature: nothing to ask a plain Redis)
                .maintNotificationsConfig(MaintNotificationsConfig.disabled())
                .build());
        this.connectionEvents = resources.eventBus().get().subscribe(event -> {
            if (event instanceof ConnectionActivatedEvent) {
                reached();
            } else if (event instanceof ConnectionDeactivatedEvent) {
                lost(null);
            }
        });
        connect(uri, 1);
    }

    /**
     * Lettuce reconnects a connection it once had, but does not retry a first connect that failed: until one
     * succeeds, this does.
     */
    private void connect(RedisURI uri, int attempt) {
        if (closed) {
            return;
        }
        client.connectAsync(StringCodec.UTF8, uri).whenComplete((established, failure) -> {
            if (failure == null) {
                connection = established;
                if (closed) {
                    established.closeAsync();
                }
                reached();
                return;
            }
            lost(failure);
            try {
                resources.eventExecutorGroup().schedule(() -> connect(uri, attempt + 1),
                        RECONNECT_DELAY.createDelay(attempt).toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // closed meanwhile
            }
        });
    }

    private void reached() {
        Reach before = reach.getAndSet(Reach.UP);
        if (before == Reach.DOWN) {
            LOG.info("Redis at {} is back: policy state is shared again", description);
        } else if (before == Reach.NOT_YET) {
            LOG.info("Policy state in Redis at {}", description);
        }
    }

    private void lost(Throwable cause) {
        if (closed || reach.getAndSet(Reach.DOWN) == Reach.DOWN) {
            return;
        }
        LOG.warn("Redis at {} is not reachable{}: policy state operations fail (the policies fail open) until it is"
                + " back; reconnecting in the background", description, cause == null ? "" : " (" + cause + ")");
    }

    @Override
    public CompletionStage<RateDecision> take(String key, long limit, Duration window) {
        long windowMillis = PolicyStores.millis(window, "a rate window");
        long now = clock.millis();
        long index = now / windowMillis;
        String counter = prefix + "rate:" + key + ":";
        return this.<List<Object>>eval(TAKE, ScriptOutputType.MULTI,
                new String[] {counter + index, counter + (index - 1)},
                Long.toString(Math.max(0, limit)), Long.toString(windowMillis), Long.toString(now % windowMillis))
                .thenApply(reply -> new RateDecision((Long) reply.get(0) == 1, (Long) reply.get(1)));
    }

    @Override
    public CompletionStage<GreylistDecision> greylist(String triplet, String network, GreylistRules rules) {
        return this.<String>eval(GREYLIST, ScriptOutputType.VALUE,
                new String[] {prefix + "grey:" + triplet, prefix + "net:" + network},
                Long.toString(clock.millis()), Long.toString(rules.delay().toMillis()),
                Long.toString(rules.window().toMillis()), Integer.toString(rules.autoAllow()),
                Long.toString(rules.remember().toMillis()))
                .thenApply(GreylistDecision::valueOf);
    }

    /**
     * The value is stored as {@code <expires at>:<value>}: it expires by the gateway's clock like everything
     * else, and stays one plain GET or SET.
     */
    @Override
    public CompletionStage<Optional<String>> get(String key) {
        long now = clock.millis();
        return call(redis -> redis.get(prefix + "kv:" + key)).thenApply(stored -> {
            int colon = stored == null ? -1 : stored.indexOf(':');
            if (colon < 0 || Long.parseLong(stored, 0, colon, 10) <= now) {
                return Optional.empty();
            }
            return Optional.of(stored.substring(colon + 1));
        });
    }

    @Override
    public CompletionStage<Void> put(String key, String value, Duration ttl) {
        long ttlMillis = PolicyStores.millis(ttl, "a value's ttl");
        String stored = (clock.millis() + ttlMillis) + ":" + value;
        return call(redis -> redis.set(prefix + "kv:" + key, stored, SetArgs.Builder.px(ttlMillis)))
                .thenApply(ok -> null);
    }

    @Override
    public CompletionStage<String> ping() {
        return call(redis -> redis.ping());
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        closed = true;
        connectionEvents.dispose();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /**
     * EVALSHA sends the script's digest, not its text; when Redis does not know it (after a restart or a SCRIPT
     * FLUSH) it answers NOSCRIPT at once and the script goes once with EVAL, which also loads it.
     */
    private <T> CompletionStage<T> eval(LuaScript script, ScriptOutputType type, String[] keys, String... args) {
        return call(redis -> redis.<T>evalsha(script.sha1(), type, keys, args).exceptionallyCompose(failure ->
                LuaScript.isNoScript(failure) ? redis.<T>eval(script.source(), type, keys, args)
                        : CompletableFuture.failedFuture(failure)));
    }

    private <T> CompletionStage<T> call(Function<RedisAsyncCommands<String, String>, CompletionStage<T>> command) {
        StatefulRedisConnection<String, String> established = connection;
        if (established == null) {
            return CompletableFuture.failedFuture(
                    new StoreUnavailableException("Redis at " + description + " not reached yet"));
        }
        try {
            return command.apply(established.async());
        } catch (RuntimeException e) { // a command refused before it was sent: still an answer, not a throw
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The URI without credentials. */
    static String describe(RedisURI uri) {
        String host = uri.getHost() == null ? "?" : uri.getHost().contains(":") ? "[" + uri.getHost() + "]"
                : uri.getHost();
        return (uri.isSsl() ? "rediss" : "redis") + "://" + host + ":" + uri.getPort()
                + (uri.getDatabase() == 0 ? "" : "/" + uri.getDatabase());
    }
}
