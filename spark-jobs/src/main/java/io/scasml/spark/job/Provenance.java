package io.scasml.spark.job;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.util.NameTransformer;
import io.scasml.kernels.picard.RunOptions;
import java.util.Map;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/** Version and source revision recorded in every summary. */
public final class Provenance {
    /** The mapper of summary.json: record components as snake_case fields, in declaration order. */
    static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
        .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private Provenance() {
    }

    /** The project version the jar was built as. */
    public static String version() {
        try (InputStream in = Provenance.class.getResourceAsStream("/scasml-version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /**
     * The git commit: {@code SCASML_GIT_COMMIT} if set (scripts and CI set it), else {@code git rev-parse HEAD} in
     * the working directory, else null.
     */
    public static String gitCommit() {
        String env = System.getenv("SCASML_GIT_COMMIT");
        if (env != null && !env.isBlank()) {
            return env.trim();
        }
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.exitValue() == 0 && s.matches("[0-9a-f]{40}") ? s : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * The estimator options of a run by their provenance keys ({@link RunOptions#toMap()}, in {@link RunOptions#OPTIONS}
     * order); written as an object, or inline into the enclosing record where the component is
     * {@code @JsonUnwrapped} (summary.json's {@code parameters}).
     */
    @JsonSerialize(using = EstimatorFields.Writer.class)
    public record EstimatorFields(Map<String, Object> values) {
        /** The options of a run. */
        public static EstimatorFields of(RunOptions o) {
            return new EstimatorFields(o.toMap());
        }

        static final class Writer extends JsonSerializer<EstimatorFields> {
            private final boolean inline;

            Writer() {
                this(false);
            }

            private Writer(boolean inline) {
                this.inline = inline;
            }

            @Override
            public void serialize(EstimatorFields v, JsonGenerator g, SerializerProvider p) throws IOException {
                if (!inline) {
                    g.writeStartObject();
                }
                for (Map.Entry<String, Object> e : v.values().entrySet()) {
                    p.defaultSerializeField(e.getKey(), e.getValue(), g);
                }
                if (!inline) {
                    g.writeEndObject();
                }
            }

            @Override
            public boolean isUnwrappingSerializer() {
                return inline;
            }

            @Override
            public JsonSerializer<EstimatorFields> unwrappingSerializer(NameTransformer t) {
                return new Writer(true);
            }
        }
    }
}
