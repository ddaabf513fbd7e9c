package io.scasml.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;

/**
 * YAML and JSON documents from untrusted files, read so that what the author wrote is what the program sees.
 *
 * <p>Refused, each with the line and column: duplicate keys (the last one would otherwise win silently), YAML anchors
 * and aliases (an alias would otherwise be read as its anchor's name, and aliases are the classic expansion bomb),
 * explicit YAML type tags, more than one document, nesting deeper than {@link Limits#maxDepth}, more than
 * {@link Limits#maxNodes} values, and strings longer than {@link Limits#maxString}. Numbers must be finite. Keys are
 * kept in document order.
 */
public final class StrictTrees {
    /**
     * Bounds on a document's shape.
     *
     * @param maxDepth  deepest nesting of mappings and sequences
     * @param maxNodes  most values (scalars, mappings and sequences) in the document
     * @param maxString longest scalar, in characters
     */
    public record Limits(int maxDepth, int maxNodes, int maxString) {
        /** Generous defaults for configuration-like files: depth 32, 200 000 values, 1 MiB strings. */
        public static final Limits DEFAULT = new Limits(32, 200_000, 1 << 20);
    }

    private static final JsonFactory JSON = JsonFactory.builder()
        .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(256).maxNumberLength(400).build())
        .build();
    private static final YAMLFactory YAML = YAMLFactory.builder()
        .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(256).maxNumberLength(400).build())
        .build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(false);

    private final String source;
    private final Limits limits;
    private final JsonParser p;
    private int nodes;

    private StrictTrees(String source, Limits limits, JsonParser p) {
        this.source = source;
        this.limits = limits;
        this.p = p;
    }

    /** Reads YAML (a superset of JSON) with {@link Limits#DEFAULT}. */
    public static JsonNode readYaml(String source, String text) {
        return read(source, text, true, Limits.DEFAULT);
    }

    /** Reads strict JSON with {@link Limits#DEFAULT}. */
    public static JsonNode readJson(String source, String text) {
        return read(source, text, false, Limits.DEFAULT);
    }

    /**
     * Reads one document.
     *
     * @param source names the input in messages
     * @param text   the decoded text (see {@link StrictText#decode}); a leading byte-order mark is ignored
     * @param yaml   YAML rules (true) or strict JSON (false)
     * @return the root node; an empty document gives a {@code MissingNode}
     * @throws InputException for anything refused, naming the line and column
     */
    public static JsonNode read(String source, String text, boolean yaml, Limits limits) {
        String t = StrictText.stripBom(text);
        try (JsonParser parser = yaml ? YAML.createParser(t) : JSON.createParser(t)) {
            StrictTrees r = new StrictTrees(source, limits, parser);
            JsonToken first = parser.nextToken();
            if (first == null) {
                return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
            }
            JsonNode root = r.value(first, 0);
            JsonToken after = parser.nextToken();
            if (after != null) {
                throw r.refuse("more than one document or value; expected exactly one");
            }
            return root;
        } catch (JsonProcessingException e) {
            String m = e.getOriginalMessage();
            JsonLocation loc = e.getLocation();
            if (m != null && m.startsWith("Duplicate field")) {
                m = "duplicate key " + m.substring("Duplicate field".length()).trim()
                    + "; each key may appear once";
            }
            throw new InputException(source, null, "not valid " + (yaml ? "YAML/JSON" : "JSON") + ": "
                + Messages.oneLine(m) + where(loc), e);
        } catch (IOException e) {
            throw new InputException(source, null, "cannot be read: " + Messages.oneLine(e), e);
        }
    }

    private JsonNode value(JsonToken tok, int depth) throws IOException {
        checkYamlExtras();
        if (++nodes > limits.maxNodes()) {
            throw refuse("more than " + limits.maxNodes() + " values; the limit is " + limits.maxNodes());
        }
        switch (tok) {
            case START_OBJECT: {
                checkDepth(depth + 1);
                ObjectNode o = NODES.objectNode();
                JsonToken k;
                while ((k = p.nextToken()) == JsonToken.FIELD_NAME) {
                    checkYamlExtras();
                    String key = p.currentName();
                    if (o.has(key)) {
                        throw refuse("duplicate key " + Messages.quote(key) + "; each key may appear once");
                    }
                    checkString(key);
                    o.set(key, value(p.nextToken(), depth + 1));
                }
                if (k != JsonToken.END_OBJECT) {
                    throw refuse("unexpected " + k);
                }
                return o;
            }
            case START_ARRAY: {
                checkDepth(depth + 1);
                ArrayNode a = NODES.arrayNode();
                JsonToken v;
                while ((v = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (v == null) {
                        throw refuse("unexpected end of input");
                    }
                    a.add(value(v, depth + 1));
                }
                return a;
            }
            case VALUE_STRING:
                checkString(p.getText());
                return NODES.textNode(p.getText());
            case VALUE_NUMBER_INT:
                switch (p.getNumberType()) {
                    case INT:
                        return NODES.numberNode(p.getIntValue());
                    case LONG:
                        return NODES.numberNode(p.getLongValue());
                    default:
                        return NODES.numberNode(p.getBigIntegerValue());
                }
            case VALUE_NUMBER_FLOAT: {
                double d = p.getDoubleValue();
                if (!Double.isFinite(d)) {
                    throw refuse("number " + Messages.quote(p.getText()) + " is not finite; expected a finite number");
                }
                return NODES.numberNode(d);
            }
            case VALUE_TRUE:
                return NODES.booleanNode(true);
            case VALUE_FALSE:
                return NODES.booleanNode(false);
            case VALUE_NULL:
                return NODES.nullNode();
            default:
                throw refuse("unexpected " + tok);
        }
    }

    private void checkYamlExtras() throws IOException {
        if (p instanceof YAMLParser y) {
            if (y.isCurrentAlias()) {
                throw refuse("YAML alias *" + y.getText() + " is not accepted; write the value out in full");
            }
            String anchor = y.getObjectId() == null ? null : String.valueOf(y.getObjectId());
            if (anchor != null) {
                throw refuse("YAML anchor &" + anchor + " is not accepted; write the value out in full");
            }
            String tag = y.getTypeId() == null ? null : String.valueOf(y.getTypeId());
            if (tag != null) {
                throw refuse("YAML type tag " + Messages.quote(tag) + " is not accepted; remove it");
            }
        }
    }

    private void checkDepth(int depth) {
        if (depth > limits.maxDepth()) {
            throw refuse("nested deeper than " + limits.maxDepth() + " levels; the limit is " + limits.maxDepth());
        }
    }

    private void checkString(String s) {
        if (s != null && s.length() > limits.maxString()) {
            throw refuse("a string of " + s.length() + " characters; the limit is " + limits.maxString());
        }
    }

    private InputException refuse(String detail) {
        return new InputException(source, null, detail + where(p.currentLocation()));
    }

    private static String where(JsonLocation loc) {
        return loc == null || loc.getLineNr() < 1 ? ""
            : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
    }
}
