using System.Globalization;
using System.Runtime.InteropServices;
using FastPrune.Kernels;
using FastPrune.Runtime;

namespace FastPrune.Cluster;

/// <summary>
/// A worker's GPU: <c>--device cuda:N</c> narrows <c>CUDA_VISIBLE_DEVICES</c> to the N-th visible device before
/// anything in the process touches CUDA, so ONNX Runtime's CUDA provider (device 0) and ILGPU (its first CUDA device)
/// both land on it without an index threaded through the pipeline; then both are probed, so a worker without CUDA is
/// refused when it starts rather than failing the coordinator's run on its first subnet.
/// </summary>
internal static partial class CudaDevice
{
    private const string Visible = "CUDA_VISIBLE_DEVICES";

    /// <summary>Makes device <paramref name="index"/> (counted among the devices already visible) this process's only one.</summary>
    /// <exception cref="FastPruneException">Fewer devices are visible (<see cref="FastPruneErrorKind.InvalidOptions"/>).</exception>
    public static void Select(int index)
    {
        string? visible = Environment.GetEnvironmentVariable(Visible);
        string chosen = index.ToString(CultureInfo.InvariantCulture);
        if (!string.IsNullOrWhiteSpace(visible))
        {
            var list = visible.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (index >= list.Length)
                throw Failures.Invalid($"--device cuda:{index}: {Visible}={visible} leaves {list.Length} device(s) visible to this worker");
            chosen = list[index];
        }
        // .NET keeps its own copy of the environment on Unix: the CUDA driver reads the C library's.
        if (!OperatingSystem.IsWindows() && SetEnv(Visible, chosen, 1) != 0)
            throw new FastPruneException(FastPruneErrorKind.FileSystem, $"--device cuda:{index}: cannot set {Visible} (errno {Marshal.GetLastPInvokeError()})");
        Environment.SetEnvironmentVariable(Visible, chosen);
    }

    /// <summary>Checks that ONNX Runtime's CUDA provider and ILGPU's CUDA backend both work here.</summary>
    /// <exception cref="FastPruneException">Either is unavailable, with the reason (<see cref="FastPruneErrorKind.InvalidInput"/>, as an unavailable engine elsewhere).</exception>
    public static void Probe(string device)
    {
        if (!OrtSessionFactory.TryCreateCuda(out string reason))
            throw new FastPruneException(FastPruneErrorKind.InvalidInput, $"--device {device}: {reason}");
        try
        {
            using var engine = ReconEngine.Create(ComputeDevice.Cuda);
        }
        catch (InvalidOperationException e)
        {
            throw new FastPruneException(FastPruneErrorKind.InvalidInput, $"--device {device}: ILGPU: {e.Message}");
        }
    }

    // int setenv(const char *name, const char *value, int overwrite);
    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
