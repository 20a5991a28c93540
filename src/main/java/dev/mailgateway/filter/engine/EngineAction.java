package dev.mailgateway.filter.engine;

/**
 * What an engine proposes, from weakest to strongest (the verdict takes the strongest proposal and the score).
 * Rspamd: "no action" → PASS, "add header" → TAG, "rewrite subject" → REWRITE_SUBJECT, "greylist" and
 * "soft reject" → TEMPFAIL, "reject" → REJECT. spamd: "Spam: True" → TAG, else PASS (our thresholds decide more).
 */
public enum EngineAction {
    PASS, TAG, REWRITE_SUBJECT, TEMPFAIL, REJECT
}
