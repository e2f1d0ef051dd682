namespace FastPrune.TensorRT;

/// <summary>
/// The one exception type of the TensorRT binding: a failure reported by the native shim (or the shim's
/// absence), carrying the native status code and the shim's one-line message.
/// </summary>
public sealed class TensorRtException : Exception
{
    /// <summary>Creates the exception for <paramref name="status"/> with the native one-line message.</summary>
    /// <param name="status">The native status (or <see cref="TensorRtStatus.Unavailable"/>).</param>
    /// <param name="message">The message, which names the file or tensor and the cause.</param>
    public TensorRtException(TensorRtStatus status, string message)
        : base(message)
    {
        Status = status;
    }

    /// <summary>The native status code as an enum.</summary>
    public TensorRtStatus Status { get; }

    /// <summary>The raw integer the shim returned (equal to <c>(int)Status</c>).</summary>
    public int NativeCode => (int)Status;
}
