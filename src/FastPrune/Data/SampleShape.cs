namespace FastPrune.Data;

/// <summary>The shape of one sample as the model takes it: channels, height, width (CHW).</summary>
/// <param name="Channels">Channel count C.</param>
/// <param name="Height">Height H in pixels.</param>
/// <param name="Width">Width W in pixels.</param>
internal readonly record struct SampleShape(int Channels, int Height, int Width)
{
    /// <summary>Number of floats in one sample, C·H·W.</summary>
    public int Length => checked(Channels * Height * Width);

    /// <summary>Throws unless every dimension is positive.</summary>
    /// <param name="paramName">The argument name reported in the exception.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is zero or negative.</exception>
    public void Validate(string paramName)
    {
        if (Channels <= 0 || Height <= 0 || Width <= 0)
        {
            throw new ArgumentOutOfRangeException(paramName, this, "every dimension of a sample shape must be positive");
        }
        _ = Length;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Channels}x{Height}x{Width}";
}
