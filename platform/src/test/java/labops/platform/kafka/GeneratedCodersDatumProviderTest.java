package labops.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.apicurio.registry.serde.avro.DefaultAvroDatumProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import labops.events.Interpretation;
import labops.events.LabResultEvent;
import labops.testsupport.SampleEvents;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;

/** The generated coders write the bytes Avro's generic writer writes, and read them back into equal events. */
class GeneratedCodersDatumProviderTest {

    private final GeneratedCodersDatumProvider<SpecificRecordBase> generated = new GeneratedCodersDatumProvider<>();
    private final DefaultAvroDatumProvider<SpecificRecordBase> plain =
            new DefaultAvroDatumProvider<SpecificRecordBase>().setUseSpecificAvroReader(true);

    {
        generated.setUseSpecificAvroReader(true);
    }

    @Test
    void writesTheSameBytesAsTheGenericWriterAndReadsThemBack() throws IOException {
        List<SpecificRecordBase> events = List.of(SampleEvents.labOrder("tenant-coders", "PON-1"),
                SampleEvents.labResult("tenant-coders", "PON-1", Interpretation.HIGH));
        for (SpecificRecordBase event : events) {
            DatumWriter<SpecificRecordBase> writer = generated.createDatumWriter(event, event.getSchema());
            assertThat(((SpecificDatumWriter<?>) writer).getSpecificData().useCustomCoders()).isTrue();

            byte[] bytes = write(writer, event);
            assertThat(bytes).isEqualTo(write(plain.createDatumWriter(event, event.getSchema()), event));
            assertThat(read(generated.createDatumReader(event.getSchema()), bytes)).isEqualTo(event);
        }
    }

    @Test
    void readsEventsWrittenByTheGenericWriter() throws IOException {
        LabResultEvent event = SampleEvents.labResult("tenant-coders", "PON-2", Interpretation.LOW);
        byte[] bytes = write(plain.createDatumWriter(event, event.getSchema()), event);

        assertThat(read(generated.createDatumReader(event.getSchema()), bytes)).isEqualTo(event);
    }

    @Test
    void keepsOneReaderPerWriterSchemaThatReadsEveryRecordWrittenWithIt() throws IOException {
        SpecificRecordBase first = SampleEvents.labOrder("tenant-coders", "PON-3");
        SpecificRecordBase second = SampleEvents.labOrder("tenant-coders", "PON-4");
        DatumReader<SpecificRecordBase> reader = generated.createDatumReader(first.getSchema());

        assertThat(generated.createDatumReader(second.getSchema())).isSameAs(reader);
        assertThat(read(reader, write(plain.createDatumWriter(first, first.getSchema()), first))).isEqualTo(first);
        assertThat(read(reader, write(plain.createDatumWriter(second, second.getSchema()), second))).isEqualTo(second);
        assertThat(generated.createDatumReader(LabResultEvent.getClassSchema())).isNotSameAs(reader);
    }

    @Test
    void aRenewedInstanceOfTheWriterSchemaGetsItsOwnReader() throws IOException {
        SpecificRecordBase order = SampleEvents.labOrder("tenant-coders", "PON-5");
        Schema renewed = new Schema.Parser().parse(order.getSchema().toString());
        DatumReader<SpecificRecordBase> reader = generated.createDatumReader(renewed);

        assertThat(reader).isNotSameAs(generated.createDatumReader(order.getSchema()));
        assertThat(read(reader, write(plain.createDatumWriter(order, order.getSchema()), order))).isEqualTo(order);
    }

    private static byte[] write(DatumWriter<SpecificRecordBase> writer, SpecificRecordBase event) throws IOException {
        var out = new ByteArrayOutputStream();
        var encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        writer.write(event, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static Object read(DatumReader<SpecificRecordBase> reader, byte[] bytes) throws IOException {
        return reader.read(null, DecoderFactory.get().binaryDecoder(bytes, null));
    }
}
