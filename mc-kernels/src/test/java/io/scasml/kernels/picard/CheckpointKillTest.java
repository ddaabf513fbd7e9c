package io.scasml.kernels.picard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scasml.kernels.pde.BuiltinPdes;
import io.scasml.kernels.pde.Pde;
import io.scasml.kernels.pde.PointSampler;
import io.scasml.kernels.surrogate.AnalyticSurrogates;
import io.scasml.kernels.surrogate.Surrogate;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resumable runs with a driver that really dies: a child JVM runs a guarded adaptive SCaSML run, writes a checkpoint
 * after every round (write to a temporary file, then an atomic rename, as the job does through the Hadoop FS) and
 * halts itself in the middle of round 2; a fresh driver in this JVM resumes from the file and must end with the bits
 * of an uninterrupted run.
 */
class CheckpointKillTest {
    static final int D = 5;
    static final int HALT_IN_ROUND = 2;

    static Pde pde() {
        return BuiltinPdes.vb(D);
    }

    static Surrogate surrogate() {
        return AnalyticSurrogates.perturbed(AnalyticSurrogates.vbExact(D), 0.2, 2.0);
    }

    static List<QueryPoint> points() {
        return PointSampler.sample(pde().domain(), D, 9, 12);
    }

    static RunOptions options() {
        return RunOptions.builder().levels(2).base(4).seed(31).targetRelSe(1e-6).maxRounds(4).build();
    }

    /** The child: runs until it halts in round {@link #HALT_IN_ROUND}. */
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        AdaptiveDriver dr = AdaptiveDriver.create(pde(), surrogate(), options(), points());
        RoundExecutor local = LocalRunner.executor(2, false);
        RoundExecutor dying = batches -> {
            if (batches.get(0).label().equals("round " + HALT_IN_ROUND)) {
                local.run(batches.subList(0, 1));
                Runtime.getRuntime().halt(137); // the driver JVM dies mid-round
            }
            return local.run(batches);
        };
        dr.run(dying, d -> {
            try {
                Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
                Files.write(tmp, d.checkpoint());
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        System.exit(0); // not reached
    }

    @Test
    void aKilledDriverResumesToTheSameBits(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("checkpoint.bin");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
            CheckpointKillTest.class.getName(), file.toString())
            .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child finished");
        assertEquals(137, p.exitValue(), "child halted mid-run: " + Files.readString(dir.resolve("child.log")));
        assertTrue(new File(file.toString()).isFile(), "checkpoint written");
        AdaptiveDriver resumed = AdaptiveDriver.create(pde(), surrogate(), options(), points());
        resumed.restore(Files.readAllBytes(file));
        assertEquals(HALT_IN_ROUND, resumed.round(), "the last complete round");
        List<AdaptiveEstimate> r = resumed.run(LocalRunner.executor(3, true), null);
        List<AdaptiveEstimate> whole = AdaptiveDriver.create(pde(), surrogate(), options(), points())
            .run(LocalRunner.executor(1, false), null);
        AdaptiveTest.assertSameResults(whole, r);
        assertEquals(4, r.get(0).rounds());
    }
}
