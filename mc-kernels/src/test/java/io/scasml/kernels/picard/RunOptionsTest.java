package io.scasml.kernels.picard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The option descriptors are the single source of provenance keys, flags, parsing and defaults. */
class RunOptionsTest {

    @Test
    void provenanceComesFromTheDescriptors() {
        RunOptions o = RunOptions.builder().build();
        Map<String, Object> m = o.toMap();
        List<String> keys = new ArrayList<>();
        for (EstimatorOption<?> d : RunOptions.OPTIONS) {
            keys.add(d.key());
        }
        assertEquals(keys, new ArrayList<>(m.keySet()));
        assertEquals("off", m.get("clip"));
        assertEquals("paths", m.get("drift"));
        assertEquals("full-history", m.get("scheme"));
        // keys and flags are unique; flags are --kebab-case, keys snake_case
        Set<String> flags = new HashSet<>();
        for (EstimatorOption<?> d : RunOptions.OPTIONS) {
            assertTrue(flags.add(d.flag()), "duplicate flag " + d.flag());
            assertTrue(d.flag().matches("--[a-z][a-z-]*"), d.flag());
            assertTrue(d.key().matches("[a-z][a-z_]*"), d.key());
            assertTrue(d.description().endsWith("."), d.key());
            assertEquals(d.get(o), d.defaultValue(), d.key());
        }
        assertEquals(keys.size(), new HashSet<>(keys).size());
    }

    @Test
    void everyOptionParsesAndRoundTripsThroughProvenance() {
        RunOptions.Builder b = RunOptions.builder();
        b.set("--levels", "3").set("base", "7").set("split-half", "false").set("clip", "2.5").set("drift", "generator")
            .set("--scheme", "quadrature").set("method", "mlp").set("--loo", "off").set("max_work_units", "12345")
            .set("--max-evals", "1e9");
        RunOptions o = b.build();
        assertEquals(3, o.levels());
        assertEquals(7, o.base());
        assertEquals(false, o.splitHalf());
        assertEquals(false, o.leaveOneOut());
        assertEquals(2.5, o.clip());
        assertEquals(true, o.driftInGenerator());
        assertEquals(Scheme.QUADRATURE, o.scheme());
        assertEquals(Method.MLP, o.method());
        assertEquals(12345L, o.maxWorkUnits());
        assertEquals(1e9, o.maxEvaluationsPerPoint());
        // provenance text parses back to the same options
        RunOptions.Builder again = RunOptions.builder();
        for (Map.Entry<String, Object> en : o.toMap().entrySet()) {
            again.set(en.getKey(), String.valueOf(en.getValue()));
        }
        assertEquals(o.toMap(), again.build().toMap());
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> RunOptions.builder()
            .set("--base", "ten"));
        assertTrue(ex.getMessage().startsWith("base: 'ten'"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RunOptions.builder().set("--nope", "1"));
        assertNotNull(RunOptions.option("max_units_per_group"));
        assertTrue(RunOptions.option("--antithetic").isSwitch());
        assertTrue(!RunOptions.option("--drift").isSwitch());
    }

    @Test
    void adaptiveAndGuardOptions() {
        RunOptions d = RunOptions.builder().build();
        assertTrue(!d.adaptive() && d.guard() && d.maxRounds() == 16 && d.innerSamples() == InnerSamples.RAISE);
        assertEquals("off", d.toMap().get("target_se"));
        assertEquals("raise", d.toMap().get("inner_samples"));
        RunOptions o = RunOptions.builder().set("--target-se", "1e-3").set("target_rel_se", "0.01")
            .set("--max-rounds", "7").set("guard", "off").set("--inner-samples", "refuse").build();
        assertTrue(o.adaptive() && !o.guard());
        assertEquals(1e-3, o.targetSe());
        assertEquals(0.01, o.targetRelSe());
        assertEquals(7, o.maxRounds());
        assertEquals(InnerSamples.REFUSE, o.innerSamples());
        assertTrue(RunOptions.option("--guard").isSwitch());
        assertEquals(0.0, RunOptions.builder().set("target-se", "off").build().targetSe());
        for (String[] bad : new String[][] {{"target_se", "-1"}, {"target_rel_se", "-0.1"}, {"max_rounds", "0"},
            {"inner_samples", "more"}}) {
            IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> RunOptions.builder().set(bad[0], bad[1]).build());
            assertTrue(ex.getMessage().startsWith(bad[0] + ":"), ex.getMessage());
        }
    }
}
