package labops.normalizer.hl7;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.v251.message.ADT_A01;
import ca.uhn.hl7v2.model.v251.message.ADT_A39;
import ca.uhn.hl7v2.model.v251.message.OML_O21;
import ca.uhn.hl7v2.model.v251.message.ORM_O01;
import ca.uhn.hl7v2.model.v251.message.ORU_R01;
import ca.uhn.hl7v2.model.v251.segment.MSH;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.parser.Parser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
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
 * HL7 v2 (2.3 to 2.5.1, read into the 2.5.1 model): ORM^O01 and OML^O21 to one {@code LabOrderEvent} per order
 * group plus a {@code PatientEvent}; ADT^A01/A04/A08 to a {@code PatientEvent}, ADT^A40 to a merge; ORU^R01 to one
 * {@code LabResultEvent} per ORDER_OBSERVATION group. HAPI decodes escape sequences as it parses.
 */
@Component
class Hl7Normalizer implements RawMessageNormalizer {

    private final Parser parser = parser(false);
    /**
     * Greedy parsing puts an OML^O21's second ORC into the first order's PRIOR_RESULT group instead of a new ORDER;
     * non-greedy parsing fixes that but misreads ORU^R01, so it is used for OML only.
     */
    private final Parser omlParser = parser(true);

    private static Parser parser(boolean nonGreedy) {
        HapiContext hapi = new DefaultHapiContext(new CanonicalModelClassFactory("2.5.1"));
        hapi.setValidationContext(ValidationContextFactory.noValidation());
        hapi.getParserConfiguration().setValidating(false);
        hapi.getParserConfiguration().setNonGreedyMode(nonGreedy);
        return hapi.getPipeParser();
    }

    @Override
    public String topic() {
        return Topics.RAW_HL7V2;
    }

    @Override
    public List<CanonicalEvent> normalize(RawRecord raw, MappingProfile profile) throws UnmappableMessageException {
        String text = text(raw.payload());
        Message message = parse(text);
        MSH msh = header(message);
        var context = new EventContext<>(raw, source(raw, msh, profile), occurredAt(raw, msh),
                new Hl7Profile(profile, text));
        if (message instanceof ORM_O01 orm) {
            return OrderMapper.map(orm, context);
        }
        if (message instanceof OML_O21 oml) {
            return OrderMapper.map(oml, context);
        }
        if (message instanceof ADT_A01 adt) {
            return PatientMapper.map(adt, context);
        }
        if (message instanceof ADT_A39 merge) {
            return PatientMapper.map(merge, context);
        }
        if (message instanceof ORU_R01 oru) {
            return ResultMapper.map(oru, context);
        }
        throw new UnmappableMessageException("MSH-9 message structure " + message.getName() + " is not supported");
    }

    private static String text(byte[] payload) {
        return new String(payload, charset(payload)).replace("\r\n", "\r").replace('\n', '\r');
    }

    private Message parse(String text) throws UnmappableMessageException {
        try {
            return (isOml(text) ? omlParser : parser).parse(text);
        } catch (HL7Exception e) {
            throw new UnmappableMessageException("HL7 v2 parse failed: " + e.getError().getMessage().toLowerCase());
        }
    }

    /** MSH-9.1 is OML: the ninth field of the first segment, read without parsing. */
    private static boolean isOml(String text) {
        if (text.length() < 4) {
            return false;
        }
        char separator = text.charAt(3);
        int at = 0;
        for (int field = 1; field < 9 && at >= 0; field++) {
            at = text.indexOf(separator, at + 1);
        }
        return at > 0 && text.startsWith("OML", at + 1);
    }

    /** MSH-18 names the character set; HL7's default is ASCII, read here as ISO-8859-1 so no byte is lost. */
    private static Charset charset(byte[] payload) {
        String head = new String(payload, 0, Math.min(payload.length, 512), StandardCharsets.ISO_8859_1);
        return head.contains("UNICODE UTF-8") ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1;
    }

    private static MSH header(Message message) throws UnmappableMessageException {
        try {
            return (MSH) message.get("MSH");
        } catch (HL7Exception e) {
            throw new UnmappableMessageException("MSH segment is missing");
        }
    }

    private static EventSource source(RawRecord raw, MSH msh, MappingProfile profile) {
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

    private static Instant occurredAt(RawRecord raw, MSH msh) throws UnmappableMessageException {
        Instant sent = Fields.instant(msh, 7);
        return sent == null ? raw.receivedAt() : sent;
    }
}
