package io.scasml.kernels.picard;

/**
 * A unit of work for one group of query points: one top-level Picard term and one fixed block of its samples.
 * Term 0 is the terminal term; term {@code 1 + l} is the time-integral term of level l. Block {@code b} covers the
 * term's samples {@code [b·blockSize, min((b+1)·blockSize, N))}. The list of units is a pure function of the run
 * options, never of the partitioning.
 *
 * @param term  top-level term index
 * @param block sample block index within the term
 */
public record UnitKey(int term, int block) implements Comparable<UnitKey> {
    @Override
    public int compareTo(UnitKey o) {
        int c = Integer.compare(term, o.term);
        return c != 0 ? c : Integer.compare(block, o.block);
    }
}
