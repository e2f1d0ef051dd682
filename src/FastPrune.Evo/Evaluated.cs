namespace FastPrune.Evo;

/// <summary>A genome and its objective values, all minimised (for pruning: MACs or parameters, then error).</summary>
/// <param name="Genome">One grid value per gene.</param>
/// <param name="Objectives">Finite objective values, the same count for every record of a search.</param>
/// <remarks>Record equality compares the array references, not their contents; compare genomes with
/// <see cref="GenomeComparer"/>.</remarks>
public sealed record Evaluated(int[] Genome, double[] Objectives);
