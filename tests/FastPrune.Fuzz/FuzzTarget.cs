namespace FastPrune.Fuzz;

/// <summary>
/// One fuzz target: feeds <paramref name="input"/> to a FastPrune entry point. Returns true when the input was
/// accepted, false when it was refused with a documented exception; any other exception escapes and is a finding.
/// </summary>
/// <param name="input">The bytes of one file (a model, a data file, an image).</param>
public delegate bool FuzzTarget(ReadOnlySpan<byte> input);
