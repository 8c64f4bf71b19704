package labops.normalizer.hl7;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.Version;
import ca.uhn.hl7v2.model.GenericMessage;
import ca.uhn.hl7v2.model.GenericSegment;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.parser.EncodingCharacters;
import ca.uhn.hl7v2.parser.GenericModelClassFactory;
import ca.uhn.hl7v2.parser.ModelClassFactory;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import labops.normalizer.raw.EventContext;
import labops.events.EventSource;
import labops.events.SourceFormat;
import labops.normalizer.profile.MappingProfile;
import labops.normalizer.raw.CanonicalEvent;
import labops.normalizer.raw.RawMessageNormalizer;
import labops.normalizer.raw.RawRecord;
import labops.normalizer.raw.UnmappableMessageException;
import labops.schemas.Er7;
import labops.schemas.topic.Topics;
import org.springframework.stereotype.Component;

/**
 * HL7 v2 (2.3 to 2.5.1, fields read by position as 2.5.1 defines them): ORM^O01 and OML^O21 to one
 * {@code LabOrderEvent} per order group plus a {@code PatientEvent}; ADT^A01/A04/A08 to a {@code PatientEvent},
 * ADT^A40 to a merge; ORU^R01 to one {@code LabResultEvent} per OBR. HAPI's generic parser reads the segments (escape
 * sequences decoded) without building the typed model: that model costs twice the parse and its group navigation is
 * what mis-grouped OML's second order; the mappers group the segments in the order they arrive instead.
 */
@Component
class Hl7Normalizer implements RawMessageNormalizer {

    /** Maps an event (ADT^A08) to the 2.5.1 structure that carries it (ADT_A01), as HAPI's typed parse would. */
    private static final ModelClassFactory STRUCTURES = new CanonicalModelClassFactory("2.5.1");

    private final PipeParser parser = parser();

    /** HAPI's parser without validation, each field filled in one pass ({@link GenericFieldParser}). */
    private static PipeParser parser() {
        HapiContext hapi = new DefaultHapiContext(new GenericModelClassFactory());
        hapi.setValidationContext(ValidationContextFactory.noValidation());
        hapi.getParserConfiguration().setValidating(false);
        return new GenericFieldParser(hapi);
    }

    @Override
    public String topic() {
        return Topics.RAW_HL7V2;
    }

    @Override
    public List<CanonicalEvent> normalize(RawRecord raw, MappingProfile profile) throws UnmappableMessageException {
        String text = text(raw.payload());
        List<Segment> segments = parse(text);
        Segment msh = segments.get(0);
        var mapping = new Hl7Profile(profile, text);
        var context = new EventContext<>(raw, source(raw, msh, profile), occurredAt(raw, msh, mapping.zone()), mapping);
        String structure = structure(msh);
        return switch (structure) {
            case "ORM_O01", "OML_O21" -> OrderMapper.map(segments, context);
            case "ADT_A01" -> PatientMapper.map(segments, context);
            case "ADT_A39" -> PatientMapper.merge(segments, context);
            case "ORU_R01" -> ResultMapper.map(segments, context);
            default -> throw new UnmappableMessageException("MSH-9 message structure " + structure
                    + " is not supported; supported: ORM_O01, OML_O21, ORU_R01, ADT_A01, ADT_A39");
        };
    }

    private static String text(byte[] payload) {
        return new String(payload, charset(payload)).replace("\r\n", "\r").replace('\n', '\r');
    }

    /**
     * Every segment in the order received, MSH first, each read into HAPI's generic model by {@link #parser} (fields,
     * repetitions, components, HAPI's escaping; see {@link GenericFieldParser}). Not {@code Parser.parse(String)}:
     * around the same segment parsing it reads MSH three more times (encoding, version, structure: the last splits the
     * whole message), looks the generic message class up by name and places each segment through a structure iterator
     * that a generic message does not need, ~14% of the listener thread's CPU, and only to be walked back into this
     * list.
     */
    private List<Segment> parse(String text) throws UnmappableMessageException {
        if (!text.startsWith("MSH")) {
            throw new UnmappableMessageException("HL7 v2 parse failed: the message does not start with an MSH segment");
        }
        Er7 delimiters;
        try {
            delimiters = Er7.delimiters(text);
        } catch (Er7.Unreadable unreadable) {
            throw new UnmappableMessageException("HL7 v2 parse failed: " + unreadable.getMessage());
        }
        char separator = delimiters.field();
        var encoding = new EncodingCharacters(separator, delimiters.encodingCharacters());
        var message = new GenericMessage.V251(parser.getFactory());
        message.setParser(parser);
        var segments = new ArrayList<Segment>();
        for (String segment : Er7.segments(text)) {
            if (segment.length() < 3) {
                continue;
            }
            int nameEnd = segments.isEmpty() ? 3 : segment.indexOf(separator);
            var parsed = new GenericSegment(message, nameEnd < 0 ? segment : segment.substring(0, nameEnd));
            try {
                parser.parse(parsed, segment, encoding);
            } catch (HL7Exception e) {
                throw new UnmappableMessageException("HL7 v2 parse failed: " + e.getError().getMessage().toLowerCase()
                        + " in " + parsed.getName() + " segment " + (segments.size() + 1));
            }
            segments.add(parsed);
        }
        String version = Fields.get(segments.get(0), 12, 1);
        if (Version.versionOf(version) == null) {
            throw new UnmappableMessageException("MSH-12 version " + (version == null ? "is missing" : version
                    + " is not an HL7 v2 version"));
        }
        return segments;
    }

    /** MSH-9.3 when sent, else the 2.5.1 structure of the event MSH-9.1/9.2 names. */
    private static String structure(Segment msh) {
        String structure = Fields.get(msh, 9, 3);
        if (structure != null) {
            return structure;
        }
        String event = Fields.get(msh, 9, 1) + "_" + Fields.get(msh, 9, 2);
        try {
            return STRUCTURES.getMessageStructureForEvent(event, Version.V251);
        } catch (HL7Exception e) {
            return event;
        }
    }

    /** MSH-18 names the character set; HL7's default is ASCII, read here as ISO-8859-1 so no byte is lost. */
    private static Charset charset(byte[] payload) {
        String head = new String(payload, 0, Math.min(payload.length, 512), StandardCharsets.ISO_8859_1);
        return head.contains("UNICODE UTF-8") ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1;
    }

    private static EventSource source(RawRecord raw, Segment msh, MappingProfile profile) {
        String application = Fields.get(msh, 3, 1);
        String facility = Fields.get(msh, 4, 1);
        String sender = application == null && facility == null ? raw.senderAddress()
                : (application == null ? "" : application) + "^" + (facility == null ? "" : facility);
        return EventSource.newBuilder()
                .setFormat(SourceFormat.HL7V2)
                .setChannel(raw.channel())
                .setOriginalMessageId(Fields.get(msh, 10, 1))
                .setRawMessageId(raw.messageId())
                .setSender(sender)
                .setReceivedAt(raw.receivedAt())
                .setMappingProfileVersion(profile.version())
                .build();
    }

    private static Instant occurredAt(RawRecord raw, Segment msh, ZoneId zone) throws UnmappableMessageException {
        Instant sent = Fields.instant(msh, 7, zone);
        return sent == null ? raw.receivedAt() : sent;
    }
}
