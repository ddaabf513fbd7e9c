package io.scasml.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@code bench spark} pairs each local master with LocalRunner at as many threads as the master has slots. */
class BenchSparkCommandTest {
    @Test
    void localMastersNameTheirSlots() {
        assertEquals(1, BenchSparkCommand.localThreads("local"));
        assertEquals(1, BenchSparkCommand.localThreads("local[1]"));
        assertEquals(2, BenchSparkCommand.localThreads("local[2]"));
        assertEquals(3, BenchSparkCommand.localThreads("local[3,2]"));
        assertEquals(Runtime.getRuntime().availableProcessors(), BenchSparkCommand.localThreads("local[*]"));
        assertEquals(-1, BenchSparkCommand.localThreads("spark://127.0.0.1:7077"));
        assertEquals(-1, BenchSparkCommand.localThreads("local-cluster[2,1,1024]"));
    }
}
