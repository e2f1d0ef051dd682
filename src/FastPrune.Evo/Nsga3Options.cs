using FastPrune.Evo.Operators;

namespace FastPrune.Evo;

/// <summary>NSGA-III's parts and settings on top of the shared batch sizes (see the README for why these defaults).</summary>
public sealed record Nsga3Options : SearchOptions
{
    /// <summary>Das–Dennis partitions; 0 picks the most whose direction count does not exceed the population
    /// (63 partitions, 64 directions for 2 objectives and population 64).</summary>
    public int Partitions { get; init; }

    /// <summary>Recombination of two parents.</summary>
    public ICrossover Crossover { get; init; } = new IntegerSbxCrossover();

    /// <summary>Mutation of each child.</summary>
    public IMutation Mutation { get; init; } = new IntegerPolynomialMutation();

    /// <summary>Upper bounds on objective 0 (e.g. 0.5·max MACs and 0.3·max MACs) whose best points survival always keeps.</summary>
    public IReadOnlyList<double> Objective0Targets { get; init; } = [];

    /// <summary>Points protected under each target.</summary>
    public int ProtectedPerTarget { get; init; } = 1;

    /// <summary>Extra reference directions fanned around each target's aspiration point (R-NSGA-III style; 0: none).</summary>
    public int DirectionsPerTarget { get; init; }

    /// <summary>Width of each fan on the unit simplex, in (0, 1].</summary>
    public double TargetSpread { get; init; } = 0.1;

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException">An operator or the target list is null.</exception>
    public override void Validate(GenomeSpace space)
    {
        base.Validate(space);
        ArgumentOutOfRangeException.ThrowIfNegative(Partitions, nameof(Partitions));
        ArgumentOutOfRangeException.ThrowIfNegative(ProtectedPerTarget, nameof(ProtectedPerTarget));
        ArgumentOutOfRangeException.ThrowIfNegative(DirectionsPerTarget, nameof(DirectionsPerTarget));
        if (!(TargetSpread > 0 && TargetSpread <= 1))
            throw new ArgumentOutOfRangeException(nameof(TargetSpread), TargetSpread, "must be in (0, 1].");
        ArgumentNullException.ThrowIfNull(Crossover, nameof(Crossover));
        ArgumentNullException.ThrowIfNull(Mutation, nameof(Mutation));
        ArgumentNullException.ThrowIfNull(Objective0Targets, nameof(Objective0Targets));
        if (Objective0Targets.Any(t => !double.IsFinite(t)))
            throw new ArgumentException("Objective-0 targets must be finite.", nameof(Objective0Targets));
    }
}
