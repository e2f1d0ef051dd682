namespace FastPrune.Kernels;

/// <summary>Shape of a 2-D convolution as ONNX describes it (NCHW, weight [Cout, Cin/groups, kh, kw]).</summary>
public readonly record struct ConvGeometry(
    int InChannels, int OutChannels, int KernelH, int KernelW,
    int StrideH = 1, int StrideW = 1,
    int PadTop = 0, int PadLeft = 0, int PadBottom = 0, int PadRight = 0,
    int DilationH = 1, int DilationW = 1, int Groups = 1)
{
    /// <summary>Input channels seen by one group.</summary>
    public int InPerGroup => InChannels / Groups;

    /// <summary>Output channels produced by one group.</summary>
    public int OutPerGroup => OutChannels / Groups;

    /// <summary>Width of an X row: InPerGroup·kh·kw, ordered (ci, ky, kx) like a flattened ONNX weight row.</summary>
    public int PatchWidth => InPerGroup * KernelH * KernelW;

    /// <summary>Output height for an input of height <paramref name="h"/>.</summary>
    public int OutputH(int h) => (h + PadTop + PadBottom - DilationH * (KernelH - 1) - 1) / StrideH + 1;

    /// <summary>Output width for an input of width <paramref name="w"/>.</summary>
    public int OutputW(int w) => (w + PadLeft + PadRight - DilationW * (KernelW - 1) - 1) / StrideW + 1;

    /// <summary>Throws unless the geometry is consistent.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size, stride or dilation is below 1, a pad is negative, or channels do not divide by groups.</exception>
    public void Validate()
    {
        foreach (var (v, name) in new[] { (InChannels, nameof(InChannels)), (OutChannels, nameof(OutChannels)), (KernelH, nameof(KernelH)), (KernelW, nameof(KernelW)),
                     (StrideH, nameof(StrideH)), (StrideW, nameof(StrideW)), (DilationH, nameof(DilationH)), (DilationW, nameof(DilationW)), (Groups, nameof(Groups)) })
            ArgumentOutOfRangeException.ThrowIfLessThan(v, 1, name);
        foreach (var (v, name) in new[] { (PadTop, nameof(PadTop)), (PadLeft, nameof(PadLeft)), (PadBottom, nameof(PadBottom)), (PadRight, nameof(PadRight)) })
            ArgumentOutOfRangeException.ThrowIfNegative(v, name);
        if (InChannels % Groups != 0 || OutChannels % Groups != 0)
            throw new ArgumentOutOfRangeException(nameof(Groups), Groups, "Channels must divide by groups.");
    }
}
