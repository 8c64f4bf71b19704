package labops.ingress.hl7;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.zip.CRC32C;
import labops.ingress.IngressProperties;
import org.springframework.stereotype.Component;

/**
 * The control ids this instance acknowledged lately, each with its message's checksum: a message under a sender's
 * id (MSH-3, MSH-4, MSH-10) already used for other content within the duplicate window is answered AE naming MSH-10
 * while the sender still listens, instead of being taken for a resend. The same message again is a copy (AA, and the
 * normalizer stops it). Bounded and in memory only: an id another instance saw, or one forgotten, still reaches the
 * normalizer, which tells content apart by SHA-256 and dead-letters the conflict. CRC32C is enough here (it compares
 * two messages under one id, no adversary gains by a collision: the normalizer checks again).
 */
@Component
class RecentControlIds {

    /** What became of a control id: first seen now, seen before with this content, or with other content. */
    enum Seen { FIRST, SAME_CONTENT, OTHER_CONTENT }

    /** Null when copies are not looked for ({@code duplicate-window} 0): every message is then a first. */
    private final Cache<String, Long> seen;

    RecentControlIds(IngressProperties properties) {
        // Maintenance (eviction, expiry) runs on the caller, amortized: handing it to the common pool woke another
        // thread for nearly every message, which cost the socket path more than the check itself.
        this.seen = properties.duplicateWindow().isZero() ? null : Caffeine.newBuilder().executor(Runnable::run)
                .maximumSize(properties.recentControlIds()).expireAfterWrite(properties.duplicateWindow()).build();
    }

    /** Remembers {@code senderId} with {@code payload}'s checksum unless it is remembered already. */
    Seen check(String senderId, byte[] payload) {
        if (seen == null) {
            return Seen.FIRST;
        }
        var crc = new CRC32C();
        crc.update(payload);
        long checksum = crc.getValue() << 32 | (payload.length & 0xFFFFFFFFL);
        Long before = seen.asMap().putIfAbsent(senderId, checksum);
        return before == null ? Seen.FIRST : before == checksum ? Seen.SAME_CONTENT : Seen.OTHER_CONTENT;
    }
}
