namespace FastPrune.Graph.Pruning;

/// <summary>Matches the dims of a reshape's input and output into minimal groups of equal product.</summary>
internal static class DimGroups
{
    /// <summary>Groups as half-open ranges (input i0..i1, output j0..j1); null when some product cannot be decided.</summary>
    public static List<(int I0, int I1, int J0, int J1)>? Match(Dim[] input, Dim[] output)
    {
        var groups = new List<(int, int, int, int)>();
        int i = 0, j = 0;
        while (i < input.Length || j < output.Length)
        {
            int i0 = i, j0 = j;
            var pi = i < input.Length ? Product.Of(input[i++]) : Product.One;
            var po = j < output.Length ? Product.Of(output[j++]) : Product.One;
            if (pi is null || po is null) return null;
            while (pi != po)
            {
                bool growInput = i < input.Length && (j >= output.Length || pi.Value.Less(po.Value));
                if (growInput) pi = pi.Value.Times(input[i++]);
                else if (j < output.Length) po = po.Value.Times(output[j++]);
                else return null;
                if (pi is null || po is null) return null;
            }
            groups.Add((i0, i, j0, j));
        }
        return groups;
    }

    /// <summary>coefficient × symbol^power; one symbol at most (the batch).</summary>
    private readonly record struct Product(long Coef, string? Symbol, int Power)
    {
        public static Product One => new(1, null, 0);

        public static Product? Of(Dim d) =>
            d.IsKnown ? new Product(d.Value, null, 0) : d.IsSymbolic ? new Product(d.Value, d.Symbol, 1) : null;

        public Product? Times(Dim d)
        {
            var p = Of(d);
            if (p is null) return null;
            if (Symbol is not null && p.Value.Symbol is not null && Symbol != p.Value.Symbol) return null;
            return new Product(Coef * p.Value.Coef, Symbol ?? p.Value.Symbol, Power + p.Value.Power);
        }

        public bool Less(Product o) => Power != o.Power ? Power < o.Power : Coef < o.Coef;
    }
}
