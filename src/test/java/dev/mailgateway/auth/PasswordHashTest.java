package dev.mailgateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordHashTest {

    @Test
    void bcryptHashesVerifyAndAreSalted() {
        String hash = PasswordHash.bcrypt("correct horse");
        assertThat(hash).startsWith("$2y$12$");
        assertThat(PasswordHash.isKnownFormat(hash)).isTrue();
        assertThat(PasswordHash.verify(hash, "correct horse")).isTrue();
        assertThat(PasswordHash.verify(hash, "correct horsE")).isFalse();
        assertThat(PasswordHash.bcrypt("correct horse")).isNotEqualTo(hash);
    }

    @Test
    void readsHashesMadeByHtpasswdAndOthers() {
        // made by Apache's "htpasswd -nbB -C 5 user secret"; the $2b$ spelling of the same hash
        String htpasswd = "$2y$05$c9lK2vCVFQAejl48wpXggOHt5H6m2eePRi7tc3IXKHStxtzkLYAJy";
        assertThat(PasswordHash.verify(htpasswd, "secret")).isTrue();
        assertThat(PasswordHash.verify(htpasswd, "Secret")).isFalse();
        assertThat(PasswordHash.verify(htpasswd.replace("$2y$", "$2b$"), "secret")).isTrue();
    }

    @Test
    void pbkdf2HashesVerify() throws Exception {
        String hash = PasswordHash.pbkdf2("pass phrase", 10_000);
        assertThat(PasswordHash.isKnownFormat(hash)).isTrue();
        assertThat(PasswordHash.verify(hash, "pass phrase")).isTrue();
        assertThat(PasswordHash.verify(hash, "pass phras")).isFalse();
    }

    @Test
    void plainTextAndUnknownFormatsNeverVerify() {
        assertThat(PasswordHash.verify("secret", "secret")).isFalse();
        assertThat(PasswordHash.isKnownFormat("secret")).isFalse();
        assertThat(PasswordHash.verify("{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ=", "secret")).isFalse();
        assertThat(PasswordHash.verify("$2y$05$short", "secret")).isFalse();
    }
}
