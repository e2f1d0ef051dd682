namespace FastPrune.Graph.Pruning;

/// <summary>What a gene counts.</summary>
public enum GeneKind
{
    /// <summary>Channels of a CNN group (a conv's outputs with everything coupled to them).</summary>
    Channels,
    /// <summary>Attention heads of a block (q, k, v and the projection's input rows), head dim fixed.</summary>
    Heads,
    /// <summary>Hidden width of a linear group, e.g. a transformer MLP (fc1 outputs = fc2 inputs).</summary>
    Hidden,
    /// <summary>Groups of grouped convolutions (ResNeXt, RegNet) and everything coupled to them; channels per group fixed.</summary>
    Groups,
}

/// <summary>One prunable group of the search space: a count between <see cref="Min"/> and <see cref="Max"/> in steps of <see cref="Step"/>.</summary>
/// <param name="Name">Stable name: the first layer of the group.</param>
/// <param name="Kind">What is counted.</param>
/// <param name="Min">Fewest units kept (never 0).</param>
/// <param name="Max">All units (the unpruned count).</param>
/// <param name="Step">Granularity of the count.</param>
public sealed record Gene(string Name, GeneKind Kind, int Min, int Max, int Step)
{
    /// <summary>The kind as the CLI's JSON writes it.</summary>
    public string KindName => Kind switch { GeneKind.Heads => "heads", GeneKind.Hidden => "hidden", GeneKind.Groups => "groups", _ => "channels" };

    /// <summary>Whether <paramref name="count"/> is a value of this gene.</summary>
    public bool Allows(int count) => count == Max || (count >= Min && count <= Max && (count - Min) % Step == 0);

    /// <summary>The allowed value nearest to <paramref name="count"/>.</summary>
    public int Nearest(double count)
    {
        if (count >= Max) return Max;
        int k = (int)Math.Round((count - Min) / Step, MidpointRounding.AwayFromZero);
        return Math.Clamp(Min + Math.Max(0, k) * Step, Min, Max);
    }
}
