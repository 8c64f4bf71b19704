package labops.normalizer.raw;

import labops.events.ReferenceRange;

/** A reference range as labs write it (HL7 OBX-7, the REST result format), read into numbers where it has them. */
public final class ReferenceRanges {

    private ReferenceRanges() {
    }

    /** As "low-high", "<high" or ">low"; anything else is kept as text. Null for none. */
    public static ReferenceRange parse(String text) {
        if (text == null) {
            return null;
        }
        try {
            if (text.startsWith("<")) {
                return new ReferenceRange(null, Double.parseDouble(text.substring(1).trim()), text);
            }
            if (text.startsWith(">")) {
                return new ReferenceRange(Double.parseDouble(text.substring(1).trim()), null, text);
            }
            int dash = text.indexOf('-', 1);
            if (dash > 0) {
                return new ReferenceRange(Double.parseDouble(text.substring(0, dash).trim()),
                        Double.parseDouble(text.substring(dash + 1).trim()), text);
            }
        } catch (NumberFormatException notNumeric) {
            // kept as text below
        }
        return new ReferenceRange(null, null, text);
    }
}
