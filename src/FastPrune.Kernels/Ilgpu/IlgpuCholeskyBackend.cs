using ILGPU;
using ILGPU.Runtime;

namespace FastPrune.Kernels.Ilgpu;

/// <summary>
/// Runs a batch of jobs as one launch sequence: gather, then per Nb-block step the diagonal factor, panel solve
/// and trailing update of every system at once, then the blocked forward and backward solves.
/// </summary>
internal sealed class IlgpuCholeskyBackend(IlgpuReconEngine engine) : ICholeskyBackend
{
    private const int Nb = CholeskyKernels.Nb;

    public void Solve(IReadOnlyList<SolveJob> jobs)
    {
        // Flat buffers are int-indexed in the tables; split batches that would not fit.
        var batch = new List<SolveJob>();
        long aTotal = 0, wTotal = 0;
        foreach (var job in jobs)
        {
            long n = job.Live.Length, m = job.Out.Length;
            if (batch.Count > 0 && (aTotal + n * n > int.MaxValue / 2 || wTotal + n * m > int.MaxValue / 2))
            {
                SolveBatch(batch);
                batch.Clear();
                aTotal = wTotal = 0;
            }
            batch.Add(job);
            aTotal += n * n;
            wTotal += n * m;
        }
        if (batch.Count > 0)
            SolveBatch(batch);
    }

    private void SolveBatch(List<SolveJob> jobs)
    {
        var acc = engine.Accelerator;
        var k = engine.Kernels;
        int count = jobs.Count;
        var table = new int[count * CholeskyKernels.TableStride];
        long aTotal = 0, wTotal = 0;
        int maxN = 0, maxM = 0;
        for (int p = 0; p < count; p++)
        {
            int n = jobs[p].Live.Length, m = jobs[p].Out.Length;
            table[p * 4] = n; table[p * 4 + 1] = m; table[p * 4 + 2] = (int)aTotal; table[p * 4 + 3] = (int)wTotal;
            aTotal += (long)n * n; wTotal += (long)n * m;
            maxN = Math.Max(maxN, n); maxM = Math.Max(maxM, m);
        }

        var launches = new List<int>();
        var desc = BuildDescriptors(jobs, table, maxN, launches);
        using var a = acc.Allocate1D<float>(aTotal);
        using var w = acc.Allocate1D<float>(wTotal);
        using var tableBuf = acc.Allocate1D(table);
        using var status = acc.Allocate1D<int>(count);
        using var descBuf = acc.Allocate1D(desc);
        status.MemSetToZero();
        // All-ones bytes are NaN: anything the kernels fail to write shows up as non-finite output.
        a.MemSet(0xFF);
        w.MemSet(0xFF);
        Gather(jobs, table, a, w);

        int tiles = (maxN + GramKernels.Tile - 1) / GramKernels.Tile;
        int rhsTiles = (maxM + GramKernels.Tile - 1) / GramKernels.Tile;
        var group = new Index3D(GramKernels.Threads, GramKernels.Threads, 1);
        int launch = 0;
        for (int k0 = 0; k0 < maxN; k0 += Nb)
        {
            k.FactorDiag(new KernelConfig(count, Nb), a.View, tableBuf.View, status.View, k0);
            k.Forward(new Index2D(Math.Max(1, maxN - k0 - Nb), count), a.View, w.View, tableBuf.View, status.View, k0, 0);
            k.Update(new KernelConfig(new Index3D(tiles, tiles, count), group), a.View, w.View, descBuf.View, status.View, launches[launch++]);
        }
        for (int k0 = 0; k0 < maxN; k0 += Nb)
        {
            k.Forward(new Index2D(maxM, count), a.View, w.View, tableBuf.View, status.View, k0, 1);
            k.Update(new KernelConfig(new Index3D(rhsTiles, tiles, count), group), a.View, w.View, descBuf.View, status.View, launches[launch++]);
        }
        for (int k0 = (maxN - 1) / Nb * Nb; k0 >= 0; k0 -= Nb)
        {
            k.Update(new KernelConfig(new Index3D(rhsTiles, 1, count), group), a.View, w.View, descBuf.View, status.View, launches[launch++]);
            k.Backward(new Index2D(maxM, count), a.View, w.View, tableBuf.View, status.View, k0);
        }
        acc.Synchronize();

        var flags = status.GetAsArray1D();
        var result = w.GetAsArray1D();
        for (int p = 0; p < count; p++)
        {
            var job = jobs[p];
            Array.Copy(result, table[p * 4 + 3], job.Weights, 0, job.Weights.Length);
            job.Succeeded = flags[p] == 0 && float.IsFinite(System.Numerics.Tensors.TensorPrimitives.Sum<float>(job.Weights) * 0f);
        }
    }

    private void Gather(List<SolveJob> jobs, int[] table, MemoryBuffer1D<float, Stride1D.Dense> a, MemoryBuffer1D<float, Stride1D.Dense> w)
    {
        var acc = engine.Accelerator;
        for (int p = 0; p < jobs.Count; p++)
        {
            var job = jobs[p];
            int n = job.Live.Length, m = job.Out.Length;
            if (job.Source is IlgpuGramAccumulator dev && dev.Engine == engine)
            {
                // The layer Gram is already on the device: gather the sub-block there, never via the host.
                using var live = acc.Allocate1D(job.Live);
                using var outs = acc.Allocate1D(job.Out);
                var args = new GatherArgs { N = n, M = m, Size = dev.Size, Rhs = dev.Rhs, AOffset = table[p * 4 + 2], WOffset = table[p * 4 + 3], Lambda = (float)job.Lambda };
                engine.Kernels.Gather(new Index2D(n, n + m), dev.DeviceGram, dev.DeviceCross, live.View, outs.View, a.View, w.View, args);
                acc.Synchronize();
            }
            else
            {
                var ha = new float[(long)n * n];
                var hw = new float[(long)n * m];
                job.Gather(ha, hw);
                ((ArrayView<float>)a.View).SubView(table[p * 4 + 2], ha.Length).CopyFromCPU(ha);
                ((ArrayView<float>)w.View).SubView(table[p * 4 + 3], hw.Length).CopyFromCPU(hw);
            }
        }
    }

    /// <summary>All UpdateKernel descriptors of the sequence, uploaded once; <paramref name="launches"/> holds each launch's offset.</summary>
    private static int[] BuildDescriptors(List<SolveJob> jobs, int[] table, int maxN, List<int> launches)
    {
        const int S = CholeskyKernels.DescStride;
        int count = jobs.Count;
        var desc = new List<int>();
        void Add(Func<int, int, int, int, int, int, int[]?> make, int k0)
        {
            launches.Add(desc.Count);
            for (int p = 0; p < count; p++)
            {
                int n = table[p * 4], m = table[p * 4 + 1], aOff = table[p * 4 + 2], wOff = table[p * 4 + 3];
                var d = k0 < n ? make(n, m, aOff, wOff, k0, Math.Min(Nb, n - k0)) : null;
                var row = new int[S];
                d?.CopyTo(row, 0);
                desc.AddRange(row);
            }
        }

        // Trailing update A22 -= U12ᵀU12 (upper tiles).
        for (int k0 = 0; k0 < maxN; k0 += Nb)
            Add((n, m, a, w, k0, b) => new[] { a + k0 * n + k0 + b, n, 0, a + k0 * n + k0 + b, n, 0, a + (k0 + b) * n + k0 + b, n, 0, b, n - k0 - b, n - k0 - b, 1 }, k0);
        // Forward: rows below -= U12ᵀ Z_block.
        for (int k0 = 0; k0 < maxN; k0 += Nb)
            Add((n, m, a, w, k0, b) => new[] { a + k0 * n + k0 + b, n, 0, w + k0 * m, m, 1, w + (k0 + b) * m, m, 1, b, n - k0 - b, m, 0 }, k0);
        // Backward: block rows -= U12 W_below (U12 read transposed).
        for (int k0 = (maxN - 1) / Nb * Nb; k0 >= 0; k0 -= Nb)
            Add((n, m, a, w, k0, b) => new[] { a + k0 * n + k0 + b, n, 1, w + (k0 + b) * m, m, 1, w + k0 * m, m, 1, n - k0 - b, b, m, 0 }, k0);
        return desc.ToArray();
    }
}
