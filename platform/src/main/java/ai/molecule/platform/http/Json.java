package ai.molecule.platform.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;

/**
 * The one ObjectMapper of the platform, shaped like Go's encoding/json (spec §0):
 * compact, explicit nulls, integral floats without ".0", RFC 3339 times with trailing
 * zeros of the fraction dropped.
 */
public final class Json {
    public static final ObjectMapper MAPPER = create();

    private Json() {
    }

    private static ObjectMapper create() {
        SimpleModule go = new SimpleModule("go-wire");
        go.addSerializer(Double.class, new GoFloat());
        go.addSerializer(double.class, new GoFloat());
        go.addSerializer(OffsetDateTime.class, new Rfc3339<>(OffsetDateTime.class));
        go.addSerializer(Instant.class, new Rfc3339<>(Instant.class));
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .registerModule(go)
                .setSerializationInclusion(JsonInclude.Include.ALWAYS)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass(), e);
        }
    }

    /** Parses JSON text stored in the database (jsonb columns); null stays null. */
    public static JsonNode parse(String text) {
        if (text == null) return null;
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is not valid", e);
        }
    }

    /** Go prints float64 100.0 as 100 and 1.5 as 1.5. */
    static final class GoFloat extends StdSerializer<Double> {
        GoFloat() {
            super(Double.class);
        }

        @Override
        public void serialize(Double v, JsonGenerator gen, SerializerProvider p) throws IOException {
            if (v.isNaN() || v.isInfinite()) {
                gen.writeNumber(0); // Go refuses NaN/Inf; never put a non-JSON token on the wire
            } else if (v == Math.rint(v) && Math.abs(v) < 1e21) {
                gen.writeNumber(v.longValue());
            } else {
                gen.writeNumber(v.doubleValue());
            }
        }
    }

    static final DateTimeFormatter RFC3339 = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd'T'HH:mm:ss")
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
            .appendOffsetId()
            .toFormatter();

    static final class Rfc3339<T> extends StdSerializer<T> {
        Rfc3339(Class<T> type) {
            super(type);
        }

        @Override
        public void serialize(T v, JsonGenerator gen, SerializerProvider p) throws IOException {
            OffsetDateTime t = v instanceof Instant i ? i.atOffset(ZoneOffset.UTC) : (OffsetDateTime) v;
            gen.writeString(RFC3339.format(t.withOffsetSameInstant(ZoneOffset.UTC)));
        }
    }
}
