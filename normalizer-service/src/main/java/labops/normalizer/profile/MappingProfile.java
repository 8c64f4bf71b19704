package labops.normalizer.profile;

import java.time.Instant;

/**
 * One saved version of a tenant's mapping rules for one environment. Version 0 is the built-in profile of a tenant
 * that has saved none: the standard mapping alone.
 */
public record MappingProfile(int version, Instant savedAt, String savedBy, MappingRules rules) {

    public static final MappingProfile BUILT_IN = new MappingProfile(0, null, null, MappingRules.NONE);
}
