package dev.mailgateway.policy.block;

import dev.mailgateway.policy.PolicyQuery;
import java.util.concurrent.CompletionStage;

/**
 * One step of a policy route ({@code mail-policy:<block>}): looks at the session so far and answers with a
 * {@link BlockResult}. Never throws and never blocks the caller: lookups (DNS, the state store, a probe) complete
 * the stage later, each within its own timeout, and a lookup that fails is a result (usually: pass), not an error.
 * A query without a stage comes from a route after DATA (the whole envelope is known).
 */
public interface PolicyBlock {

    CompletionStage<BlockResult> check(PolicyQuery query);
}
