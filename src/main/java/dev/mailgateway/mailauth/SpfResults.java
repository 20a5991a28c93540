package dev.mailgateway.mailauth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.mailgateway.mailauth.spf.SpfResult;
import dev.mailgateway.mailauth.spf.SpfVerifier;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * SPF results of the last minute, by client, HELO name and sender: the policy route checks SPF at MAIL and the
 * inbound route after DATA for the same transaction, and a client sending several messages repeats the triple.
 * The DNS answers are cached anyway; this saves the evaluation itself. Kept briefly, so a changed record counts
 * within the minute; temperrors are not kept, so the next check asks again.
 */
final class SpfResults {

    private record Key(InetAddress client, String helo, String sender) {
    }

    private final SpfVerifier verifier;
    private final Cache<Key, CompletableFuture<SpfResult>> recent = Caffeine.newBuilder()
            .maximumSize(10_000).expireAfterWrite(Duration.ofMinutes(1)).build();

    SpfResults(SpfVerifier verifier) {
        this.verifier = verifier;
    }

    CompletionStage<SpfResult> checkMailFrom(InetAddress client, String helo, String sender) {
        Key key = new Key(client, helo == null ? "" : helo.toLowerCase(java.util.Locale.ROOT),
                sender.toLowerCase(java.util.Locale.ROOT));
        CompletableFuture<SpfResult> result = recent.get(key,
                k -> verifier.checkMailFrom(client, helo, sender).toCompletableFuture());
        result.thenAccept(r -> {
            if (r.result() == SpfResult.Result.TEMPERROR) {
                recent.asMap().remove(key, result);
            }
        });
        return result.copy(); // a copy: no caller can complete the shared one for the others
    }
}
