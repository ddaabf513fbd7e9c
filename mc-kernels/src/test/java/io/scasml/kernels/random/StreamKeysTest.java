package io.scasml.kernels.random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scasml.kernels.pde.BuiltinPdes;
import io.scasml.kernels.pde.PointSampler;
import io.scasml.kernels.picard.Method;
import io.scasml.kernels.picard.PicardEstimator;
import io.scasml.kernels.picard.QueryPoint;
import io.scasml.kernels.picard.RunOptions;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The tag table: namespaces disjoint from the point ids and from each other, as the documented rule says. */
class StreamKeysTest {

    @Test
    void namespacesAreNegativeAndDistinctSubTagsDistinct() {
        Set<Long> seen = new HashSet<>();
        for (long t : StreamKeys.NAMESPACES) {
            assertTrue(t < 0, "namespace tag " + t + " is inside the point-id range");
            assertTrue(seen.add(t), "duplicate namespace tag " + t);
        }
        assertTrue(seen.contains(StreamKeys.ROUND) && seen.contains(StreamKeys.PROBE), "reserved tags listed");
        for (long[] sub : new long[][] {StreamKeys.TRAIN_TAGS, StreamKeys.PATH_TAGS, StreamKeys.PILOT_TAGS}) {
            Set<Long> s = new HashSet<>();
            for (long t : sub) {
                assertTrue(s.add(t), "duplicate sub-tag " + t);
            }
        }
    }

    @Test
    void childIsInjectiveSoNamespacesNeverMeetAPointKey() {
        // child(R, ·) is mix64(R ^ mix64(· + γ)), a composition of bijections: distinct indices, distinct keys.
        // Spot-check that the namespace roots differ from every point key of a large id range and from each other.
        long seed = 42;
        Set<Long> keys = new HashSet<>();
        for (long id = 0; id < 200_000; id++) {
            assertTrue(keys.add(StreamKeys.pointKey(seed, id)));
        }
        for (long t : StreamKeys.NAMESPACES) {
            assertTrue(keys.add(StreamKeys.namespace(seed, t)), "namespace " + t + " meets a point key");
        }
        // mix64 is a bijection: its inverse exists (checked on samples by the known inverse constants)
        for (long z = -1000; z < 1000; z++) {
            assertEquals(z, unmix64(StreamKeys.mix64(z)));
        }
        assertThrows(IllegalArgumentException.class, () -> StreamKeys.namespace(seed, 0));
        assertThrows(IllegalArgumentException.class, () -> StreamKeys.pointKey(seed, -1));
    }

    @Test
    void documentedDerivationsAreWhatTheCodeUses() {
        long seed = 7;
        // PointSampler: point i from child(namespace(seed, SAMPLED_POINTS), i); first coordinate of a cube sample
        var dom = BuiltinPdes.vb(2).domain();
        QueryPoint p = PointSampler.sample(dom, 2, 3, seed).get(1);
        var r = StreamKeys.stream(StreamKeys.child(StreamKeys.namespace(seed, StreamKeys.SAMPLED_POINTS), 1));
        assertEquals(dom.lo() + (dom.hi() - dom.lo()) * r.nextDouble(), p.x()[0], 0.0);
        assertNotEquals(StreamKeys.namespace(seed, StreamKeys.SAMPLED_POINTS), StreamKeys.pointKey(seed, 0x5A3D));
        // the estimator refuses negative ids (they are namespace tags)
        PicardEstimator e = PicardEstimator.create(BuiltinPdes.vb(2), null,
            RunOptions.builder().method(Method.MLP).build());
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> e.validate(new QueryPoint(-3, 0.1, new double[2])));
        assertTrue(ex.getMessage().contains("id=-3") && ex.getMessage().contains(">= 0"), ex.getMessage());
    }

    /** Inverse of the SplitMix64 finaliser. */
    static long unmix64(long z) {
        z = (z ^ (z >>> 31) ^ (z >>> 62)) * 0x319642B2D24D8EC3L;
        z = (z ^ (z >>> 27) ^ (z >>> 54)) * 0x96DE1B173F119089L;
        return z ^ (z >>> 30) ^ (z >>> 60);
    }

    @Test
    void estimateRootsOfRoundsCompanionAndPilots() {
        long seed = 9;
        // round 0 is the plain run: the same point keys
        for (long id = 0; id < 100; id++) {
            assertEquals(StreamKeys.pointKey(seed, id), StreamKeys.pointKeyUnder(StreamKeys.estimateRoot(seed, 0), id));
        }
        // every root distinct from each other and from every point key of a range of ids
        Set<Long> roots = new HashSet<>();
        for (int r = 0; r < 1000; r++) {
            assertTrue(roots.add(StreamKeys.estimateRoot(seed, r)));
            assertTrue(roots.add(StreamKeys.companionRoot(seed, r)));
        }
        for (long t : StreamKeys.PILOT_TAGS) {
            assertTrue(roots.add(StreamKeys.pilotRoot(seed, t)));
        }
        for (long id = 0; id < 100_000; id++) {
            assertTrue(!roots.contains(StreamKeys.pointKey(seed, id)));
        }
        assertEquals(StreamKeys.child(StreamKeys.namespace(seed, StreamKeys.ROUND), 3), StreamKeys.estimateRoot(seed, 3));
        assertEquals(StreamKeys.child(StreamKeys.namespace(seed, StreamKeys.GUARD), 3), StreamKeys.companionRoot(seed, 3));
        assertThrows(IllegalArgumentException.class, () -> StreamKeys.estimateRoot(seed, -1));
        assertThrows(IllegalArgumentException.class, () -> StreamKeys.pointKeyUnder(1L, -1));
    }
}
