package labops.normalizer.hl7;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.Version;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.parser.GenericModelClassFactory;
import ca.uhn.hl7v2.parser.ModelClassFactory;
import ca.uhn.hl7v2.parser.Parser;
import ca.uhn.hl7v2.util.ReadOnlyMessageIterator;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
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

    private final Parser parser = parser();

    private static Parser parser() {
        HapiContext hapi = new DefaultHapiContext(new GenericModelClassFactory());
        hapi.setValidationContext(ValidationContextFactory.noValidation());
        hapi.getParserConfiguration().setValidating(false);
        return hapi.getPipeParser();
    }

    @Override
    public String topic() {
        return Topics.RAW_HL7V2;
    }

    @Override
    public List<CanonicalEvent> normalize(RawRecord raw, MappingProfile profile) throws UnmappableMessageException {
        String text = text(raw.payload());
        List<Segment> segments = segments(parse(text));
        Segment msh = segments.get(0);
        var context = new EventContext<>(raw, source(raw, msh, profile), occurredAt(raw, msh),
                new Hl7Profile(profile, text));
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

    private Message parse(String text) throws UnmappableMessageException {
        try {
            return parser.parse(text);
        } catch (HL7Exception e) {
            throw new UnmappableMessageException("HL7 v2 parse failed: " + e.getError().getMessage().toLowerCase());
        }
    }

    /** Every segment in the order received, MSH first. */
    private static List<Segment> segments(Message message) {
        var segments = new ArrayList<Segment>();
        var iterator = new ReadOnlyMessageIterator(message);
        while (iterator.hasNext()) {
            if (iterator.next() instanceof Segment segment) {
                segments.add(segment);
            }
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

    private static Instant occurredAt(RawRecord raw, Segment msh) throws UnmappableMessageException {
        Instant sent = Fields.instant(msh, 7);
        return sent == null ? raw.receivedAt() : sent;
    }
}
