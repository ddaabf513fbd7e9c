package io.scasml.trainer;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.scasml.kernels.pde.BuiltinPdes;
import io.scasml.kernels.pde.Pde;
import io.scasml.kernels.surrogate.Surrogate;
import io.scasml.surrogate.SurrogateLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The shipped example surrogates (examples/surrogates, made by scripts/train-examples.sh) load with surrogate-loader
 * and reach a held-out relative L2 error within 2× of the reference's surrogate error (docs/algorithm.md §18) on fresh
 * test-domain points. LQG is checked on fewer points (its reference solution is Cole–Hopf Monte Carlo).
 */
class ExamplesTest {

    @ParameterizedTest
    @CsvSource({"vb20,vb,20,0.0118,400", "lcd10,lcd,10,0.0485,400", "dr100,dr,100,0.00988,400",
        "lqg100,lqg,100,0.0799,150"})
    void exampleLoadsAndIsWithinTwiceTheReferenceError(String dir, String pdeName, int d, double reference, int n)
            throws Exception {
        Path p = Paths.get("..", "examples", "surrogates", dir);
        assumeTrue(Files.exists(p.resolve("surrogate.json")), "example " + dir + " not present");
        Pde pde = BuiltinPdes.byName(pdeName, d);
        Surrogate s = SurrogateLoader.loadSurrogate(p.toString());
        Points test = Points.domain(pde.domain(), d, n, 777);
        double[] u = new double[n];
        s.value(n, test.t, test.x, u);
        double[] ex = new double[n];
        pde.exact(n, test.t, test.x, ex);
        double num = 0;
        double den = 0;
        for (int i = 0; i < n; i++) {
            num += (u[i] - ex[i]) * (u[i] - ex[i]);
            den += ex[i] * ex[i];
        }
        double rel = Math.sqrt(num / den);
        assertTrue(rel < 2 * reference, dir + ": held-out rel L2 " + rel + " vs reference " + reference);
        assertTrue(Files.size(p.resolve("weights.npz")) < 400_000, "example stays small");
    }
}
