package dev.mailgateway.mailauth.dkim;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Signs mail with DKIM (RFC 6376; RFC 8463 for Ed25519): relaxed/relaxed, SHA-256, a t= timestamp and no l= (a
 * body length would let anyone append to the body). h= names the fields of {@link #RECOMMENDED} that are present,
 * each as often as it occurs, and the over-signed ones (From) once more, so that one added later breaks the
 * signature. One pass over the message as the next hop will get it ({@link WireLineEndings}): the header section
 * into memory (bounded), the body streamed through one hash whatever the number of keys, so a 25 MB message never
 * sits in memory. Canonicalization, the header hash and the signature are the verifier's own code.
 */
public final class DkimSigner {

    /**
     * RFC 6376 §5.4.1's list, with what mail readers show or act on since: Sender, Message-ID, the MIME fields
     * (changing them changes how the body reads), Resent-Sender and Resent-Message-ID, List-Unsubscribe-Post
     * (RFC 8058 requires it signed).
     */
    public static final List<String> RECOMMENDED = List.of("From", "Reply-To", "Subject", "Date", "To", "Cc",
            "Sender", "Message-ID", "In-Reply-To", "References", "MIME-Version", "Content-Type",
            "Content-Transfer-Encoding", "Resent-Date", "Resent-From", "Resent-Sender", "Resent-To", "Resent-Cc",
            "Resent-Message-ID", "List-Id", "List-Help", "List-Unsubscribe", "List-Unsubscribe-Post",
            "List-Subscribe", "List-Post", "List-Owner", "List-Archive");
    /** Fields signed once more than they occur. */
    public static final List<String> OVERSIGNED = List.of("From");

    private final Map<String, String> signed = new LinkedHashMap<>(); // lower case -> as written in h=
    private final Set<String> oversigned;
    private final Clock clock;

    /**
     * @param signedHeaders     the fields to sign where present (From is signed whatever the list says: §5.4)
     * @param oversignedHeaders the fields to list once more than they occur (only those also signed count)
     */
    public DkimSigner(List<String> signedHeaders, List<String> oversignedHeaders, Clock clock) {
        signed.put("from", "From");
        for (String name : signedHeaders) {
            signed.putIfAbsent(Canonicalization.lowerCase(name.strip()), name.strip());
        }
        this.oversigned = Set.copyOf(oversignedHeaders.stream().map(n -> Canonicalization.lowerCase(n.strip()))
                .toList());
        this.clock = clock;
    }

    /**
     * @param message the message, from its first octet (the stream is read to its end, not closed)
     * @param keys    the keys to sign with, one signature each
     * @return the DKIM-Signature fields, CRLF included, to go on top of the message in this order; empty (not
     *         signed) when the header section is over {@link DkimVerifier#MAX_HEADER_BYTES} octets
     * @throws GeneralSecurityException when a key that loaded does not sign (a fault of ours, not of the message)
     */
    public Optional<byte[]> sign(InputStream message, List<SigningKey> keys) throws IOException,
            GeneralSecurityException {
        InputStream in = new BufferedInputStream(new WireLineEndings(message), 65536);
        HeaderSection header = HeaderSection.read(in, DkimVerifier.MAX_HEADER_BYTES);
        if (header.truncated()) {
            return Optional.empty();
        }
        byte[] bodyHash = bodyHash(in);
        Map<String, List<Integer>> index = header.indexOf(signed.keySet());
        List<String> names = new ArrayList<>(); // for h=, as written
        List<String> lowerCaseNames = new ArrayList<>();
        signed.forEach((lowerCase, name) -> {
            int count = index.getOrDefault(lowerCase, List.of()).size();
            for (int i = oversigned.contains(lowerCase) ? -1 : 0; i < count; i++) {
                names.add(name);
                lowerCaseNames.add(lowerCase);
            }
        });
        long now = clock.instant().getEpochSecond();
        StringBuilder fields = new StringBuilder();
        for (SigningKey key : keys) {
            String unsigned = SignatureField.unsigned(key, now, names, bodyHash);
            MessageDigest digest = DkimVerifier.sha256();
            header.hashSigned(digest, lowerCaseNames, index, Canonicalization.RELAXED, -1);
            digest.update(Canonicalization.RELAXED.header(unsigned).getBytes(StandardCharsets.ISO_8859_1));
            byte[] signature = key.signatureAlgorithm().sign(key.privateKey(), digest.digest());
            fields.append(SignatureField.signed(unsigned, signature));
        }
        return Optional.of(fields.toString().getBytes(StandardCharsets.US_ASCII));
    }

    /** The relaxed body's SHA-256, the same for every key. */
    private static byte[] bodyHash(InputStream in) throws IOException {
        BodyHash hash = new BodyHash("SHA-256", Long.MAX_VALUE);
        BodyCanonicalizer canonicalizer = new BodyCanonicalizer(Canonicalization.RELAXED, List.of(hash));
        byte[] buffer = new byte[65536];
        for (int n; (n = in.read(buffer)) != -1; ) {
            canonicalizer.update(buffer, 0, n);
        }
        canonicalizer.finish();
        return hash.value();
    }
}
