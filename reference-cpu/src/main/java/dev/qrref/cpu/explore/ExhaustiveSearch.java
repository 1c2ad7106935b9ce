package dev.qrref.cpu.explore;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Breadth-first search over the interleavings of a {@link Model}. Every action advances one program counter, so all
 * paths to a state have the same length: the visited set only needs the next level, duplicate states merge within a
 * level, and the first violation found is one of the shortest in the graph searched.
 */
final class ExhaustiveSearch {
    private ExhaustiveSearch() {
    }

    /**
     * @param schedule process choices of the failing schedule, or null
     * @param complete true if every level up to the depth limit was expanded within the budget
     */
    record Outcome(int[] schedule, Violation violation, boolean complete, long states, long transitions, double schedules,
                   int depth) {
    }

    private static final class Node {
        int[] state;
        final Node parent;
        final int pid;
        double paths; // number of paths from the root (floating point: it overflows a long on real bounds)

        Node(int[] state, Node parent, int pid, double paths) {
            this.state = state;
            this.parent = parent;
            this.pid = pid;
            this.paths = paths;
        }

        int[] schedule(int extra) {
            int n = 0;
            for (Node x = this; x.parent != null; x = x.parent) {
                n++;
            }
            int[] out = new int[n + (extra >= 0 ? 1 : 0)];
            int i = n - 1;
            for (Node x = this; x.parent != null; x = x.parent) {
                out[i--] = x.pid;
            }
            if (extra >= 0) {
                out[n] = extra;
            }
            return out;
        }
    }

    /** An int[] state as a hash key. */
    private record Key(int[] s, int hash) {
        Key(int[] s) {
            this(s, Arrays.hashCode(s));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.hash == hash && Arrays.equals(k.s, s);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /**
     * @param reduce    expand only a persistent set of each state
     * @param maxDepth  expand states of depth below this (Integer.MAX_VALUE: all)
     * @param maxStates stop (incomplete) after this many distinct states
     * @param deadline  System.nanoTime() limit
     */
    static Outcome search(Model m, boolean reduce, int maxDepth, long maxStates, long deadline) {
        return search(m, reduce, maxDepth, maxStates, deadline, null);
    }

    /** As above; {@code terminals} (if not null) receives every state in which nothing is enabled and no violation holds. */
    static Outcome search(Model m, boolean reduce, int maxDepth, long maxStates, long deadline,
                          java.util.function.Consumer<int[]> terminals) {
        if (reduce) {
            m.prepareReduction();
        }
        List<Node> level = new ArrayList<>(List.of(new Node(m.initialState(), null, -1, 1)));
        long states = 1;
        long transitions = 0;
        double schedules = 0;
        int depth = 0;
        while (!level.isEmpty()) {
            if (depth >= maxDepth) {
                return new Outcome(null, null, false, states, transitions, schedules, depth);
            }
            Map<Key, Node> next = new LinkedHashMap<>();
            int expanded = 0;
            for (Node node : level) {
                int[] s = node.state;
                node.state = null; // only the frontier keeps states; expanded nodes keep their parent link
                int[] set = reduce ? m.persistentSet(s) : m.enabledSet(s);
                if (set.length == 0) {
                    Violation v = m.checkStuck(s);
                    if (v != null) {
                        return new Outcome(node.schedule(-1), v, true, states, transitions, schedules, depth);
                    }
                    schedules += node.paths;
                    if (terminals != null) {
                        terminals.accept(s);
                    }
                    continue;
                }
                for (int p : set) {
                    int[] t = s.clone();
                    Violation v = m.execute(t, p);
                    transitions++;
                    if (v != null) {
                        return new Outcome(node.schedule(p), v, true, states, transitions, schedules, depth + 1);
                    }
                    Key k = new Key(t);
                    Node seen = next.get(k);
                    if (seen != null) {
                        seen.paths += node.paths;
                    } else {
                        next.put(k, new Node(t, node, p, node.paths));
                        states++;
                        if (states > maxStates) {
                            return new Outcome(null, null, false, states, transitions, schedules, depth + 1);
                        }
                    }
                }
                if ((++expanded & 1023) == 0 && System.nanoTime() > deadline) {
                    return new Outcome(null, null, false, states, transitions, schedules, depth);
                }
            }
            level = new ArrayList<>(next.values());
            depth++;
        }
        return new Outcome(null, null, true, states, transitions, schedules, depth);
    }
}
