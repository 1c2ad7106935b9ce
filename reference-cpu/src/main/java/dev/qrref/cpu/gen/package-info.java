/**
 * Seeded, levelled case generation for the 16-bit arithmetic, in the manner of Berkeley TestFloat: special-value
 * tables ({@link dev.qrref.cpu.gen.SpecialValues}), random operands ({@link dev.qrref.cpu.gen.Random16}), operand
 * pairs ({@link dev.qrref.cpu.gen.PairCases}, {@link dev.qrref.cpu.gen.StructuredPairs}) and binary32 conversion inputs
 * ({@link dev.qrref.cpu.gen.Binary32Cases}). Sizes follow {@link dev.qrref.cpu.gen.Level} ({@code -Dqr.level=1|2});
 * every random set is drawn from a seed {@link dev.qrref.cpu.gen.Seeds} derives from {@code -Dqr.seed} and the set's
 * label, and failures print it. The generators decide nothing about correct results; oracles live in the tests.
 */
package dev.qrref.cpu.gen;
