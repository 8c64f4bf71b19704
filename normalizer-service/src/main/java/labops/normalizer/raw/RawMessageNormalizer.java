package labops.normalizer.raw;

import java.util.List;

/** Turns the raw messages of one format into canonical events; one implementation per format. */
public interface RawMessageNormalizer {

    /** The raw topic this normalizer reads. */
    String topic();

    List<CanonicalEvent> normalize(RawRecord raw) throws UnmappableMessageException;
}
