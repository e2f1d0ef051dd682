namespace FastPrune.Evo.Operators;

/// <summary>Argument checks shared by the operators.</summary>
internal static class Probability
{
    public static double Check(double p, string name)
    {
        if (!(p >= 0 && p <= 1))
            throw new ArgumentOutOfRangeException(name, p, "must be a probability in [0, 1].");
        return p;
    }

    public static double CheckIndex(double eta, string name)
    {
        if (!(eta >= 0) || double.IsInfinity(eta))
            throw new ArgumentOutOfRangeException(name, eta, "must be a finite distribution index ≥ 0.");
        return eta;
    }

    /// <summary>The per-gene probability: the given one, or 1/length (one gene on average) when null.</summary>
    public static double PerGene(double? p, int length) => p ?? 1.0 / length;
}
