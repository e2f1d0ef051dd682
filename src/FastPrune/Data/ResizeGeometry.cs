namespace FastPrune.Data;

/// <summary>
/// Where the centre crop of a resized image lies: the image (Width×Height) is resized to
/// ResizedWidth×ResizedHeight, then the window starting at (Left, Top) of the model's size is kept.
/// </summary>
/// <param name="ResizedWidth">Width after the shorter-side resize.</param>
/// <param name="ResizedHeight">Height after the shorter-side resize.</param>
/// <param name="Left">First kept column of the resized image.</param>
/// <param name="Top">First kept row of the resized image.</param>
internal readonly record struct ResizeGeometry(int ResizedWidth, int ResizedHeight, int Left, int Top)
{
    /// <summary>
    /// torchvision's Resize(shorter) + CenterCrop(H, W) geometry: the shorter side becomes
    /// <paramref name="shorter"/>, the longer side int(shorter·long/short), and the crop offset is
    /// round((resized − crop)/2). Where the crop would not fit (torchvision would pad with zeros), the
    /// scale is raised just enough for it to fit, so every output pixel comes from the image.
    /// </summary>
    /// <param name="width">Decoded image width.</param>
    /// <param name="height">Decoded image height.</param>
    /// <param name="shorter">Target length of the shorter side.</param>
    /// <param name="cropHeight">Model input height.</param>
    /// <param name="cropWidth">Model input width.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive.</exception>
    public static ResizeGeometry Compute(int width, int height, int shorter, int cropHeight, int cropWidth)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(shorter);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cropHeight);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cropWidth);

        long rw, rh;
        if (width <= height)
        {
            rw = shorter;
            rh = (long)shorter * height / width;
        }
        else
        {
            rh = shorter;
            rw = (long)shorter * width / height;
        }
        if (rw < cropWidth || rh < cropHeight)
        {
            double s = Math.Max((double)cropWidth / width, (double)cropHeight / height);
            rw = Math.Max(cropWidth, (long)Math.Ceiling(width * s - 1e-9));
            rh = Math.Max(cropHeight, (long)Math.Ceiling(height * s - 1e-9));
        }
        int left = (int)Math.Round((rw - cropWidth) / 2.0, MidpointRounding.ToEven);
        int top = (int)Math.Round((rh - cropHeight) / 2.0, MidpointRounding.ToEven);
        return new ResizeGeometry(checked((int)rw), checked((int)rh), left, top);
    }
}
