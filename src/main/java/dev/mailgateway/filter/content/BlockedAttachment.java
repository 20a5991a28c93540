package dev.mailgateway.filter.content;

/**
 * An attachment the policy does not allow.
 *
 * @param name   the file name as decoded (or the MIME type when the part has no name)
 * @param reason a named reason: {@code ATTACHMENT_EXTENSION exe}, {@code ATTACHMENT_TYPE application/x-msdownload},
 *               {@code ATTACHMENT_EXECUTABLE} (MZ content whatever the name says)
 */
public record BlockedAttachment(String name, String reason) {
}
