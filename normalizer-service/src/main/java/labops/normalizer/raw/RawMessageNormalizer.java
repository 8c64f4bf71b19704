package labops.normalizer.raw;

import java.util.List;
import labops.normalizer.profile.MappingProfile;

/** Turns the raw messages of one format into canonical events; one implementation per format. */
public interface RawMessageNormalizer {

    /** The raw topic this normalizer reads. */
    String topic();

    /** The events {@code raw} means under the tenant's {@code profile}; every event names the profile's version. */
    List<CanonicalEvent> normalize(RawRecord raw, MappingProfile profile) throws UnmappableMessageException;

    /** Under the standard mapping alone (the built-in profile). */
    default List<CanonicalEvent> normalize(RawRecord raw) throws UnmappableMessageException {
        return normalize(raw, MappingProfile.BUILT_IN);
    }
}
