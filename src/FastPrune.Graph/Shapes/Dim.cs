namespace FastPrune.Graph;

/// <summary>
/// One dimension, or one element of a shape tensor: a known value, a multiple of one symbol
/// (<c>batch</c>, <c>12·batch</c>), or unknown (the default). Multiples of a symbol are what shape
/// chains of exported graphs compute (batch × heads), so they are kept exact.
/// </summary>
public readonly record struct Dim
{
    private enum Kind : byte { Unknown, Known, Symbolic }

    private readonly Kind _kind;

    private Dim(Kind kind, long value, string? symbol)
    {
        _kind = kind;
        Value = value;
        Symbol = symbol;
    }

    /// <summary>The known value; for a symbolic dim, the symbol's multiplier; 0 when unknown.</summary>
    public long Value { get; }

    /// <summary>The symbol of a symbolic dim, else null.</summary>
    public string? Symbol { get; }

    /// <summary>True when the value is a plain number.</summary>
    public bool IsKnown => _kind == Kind.Known;

    /// <summary>True for a multiple of a symbol.</summary>
    public bool IsSymbolic => _kind == Kind.Symbolic;

    /// <summary>True when nothing is known.</summary>
    public bool IsUnknown => _kind == Kind.Unknown;

    /// <summary>An unknown dim.</summary>
    public static Dim Unknown => default;

    /// <summary>A known value (any sign: shape tensors carry -1 and 0 markers).</summary>
    public static Dim Of(long value) => new(Kind.Known, value, null);

    /// <summary><paramref name="multiplier"/> × <paramref name="symbol"/>.</summary>
    public static Dim Sym(string symbol, long multiplier = 1) =>
        multiplier == 0 ? Of(0) : new Dim(Kind.Symbolic, multiplier, symbol);

    /// <summary>Product of two dims; unknown where it is not a known value or a multiple of one symbol.</summary>
    public static Dim operator *(Dim a, Dim b)
    {
        if (a.IsKnown && b.IsKnown) return Of(checked(a.Value * b.Value));
        if (a.IsKnown && b.IsSymbolic) return Sym(b.Symbol!, checked(a.Value * b.Value));
        if (a.IsSymbolic && b.IsKnown) return Sym(a.Symbol!, checked(a.Value * b.Value));
        return Unknown;
    }

    /// <summary>Exact quotient; unknown when it is not exact or not representable.</summary>
    public static Dim operator /(Dim a, Dim b)
    {
        if (b.IsKnown && b.Value != 0)
        {
            if (a.IsKnown) return Of(a.Value / b.Value); // ONNX integer Div truncates
            if (a.IsSymbolic && a.Value % b.Value == 0) return Sym(a.Symbol!, a.Value / b.Value);
        }
        if (a.IsSymbolic && b.IsSymbolic && a.Symbol == b.Symbol && a.Value % b.Value == 0)
            return Of(a.Value / b.Value);
        return Unknown;
    }

    /// <summary>Sum; unknown unless both are known or both multiples of the same symbol.</summary>
    public static Dim operator +(Dim a, Dim b)
    {
        if (a.IsKnown && b.IsKnown) return Of(checked(a.Value + b.Value));
        if (a.IsSymbolic && b.IsSymbolic && a.Symbol == b.Symbol) return Sym(a.Symbol!, a.Value + b.Value);
        if (a.IsKnown && a.Value == 0) return b;
        if (b.IsKnown && b.Value == 0) return a;
        return Unknown;
    }

    /// <summary>Difference.</summary>
    public static Dim operator -(Dim a, Dim b) => a + (b * Of(-1));

    /// <summary>The value with symbols bound to numbers; unchanged where a symbol is not bound.</summary>
    public Dim Bind(IReadOnlyDictionary<string, long>? bindings) =>
        IsSymbolic && bindings is not null && bindings.TryGetValue(Symbol!, out var v) ? Of(Value * v) : this;

    /// <inheritdoc/>
    public override string ToString() => _kind switch
    {
        Kind.Known => Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Kind.Symbolic => Value == 1 ? Symbol! : $"{Value}*{Symbol}",
        _ => "?",
    };
}
